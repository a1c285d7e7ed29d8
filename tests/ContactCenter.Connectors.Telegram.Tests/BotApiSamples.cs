namespace ContactCenter.Connectors.Telegram.Tests;

/// <summary>
/// Bot API updates in the shape Telegram sends them today (Samples/BotApi/*.json): the field set of the Bot API's `Update`
/// and `Message` documentation and of real webhook posts — UTF-16 entity offsets, photo size ladders, `thumbnail` next to the
/// older `thumb`, `forward_origin` next to the legacy `forward_from`, `link_preview_options`, `is_premium`. One customer
/// (chat 6123456789) writes a Russian text, a photo with caption, a document, a voice note, a sticker, a forward and a reply,
/// edits the first message, presses an inline button and blocks the bot.
/// </summary>
public static class BotApiSamples
{
    public const long ChatId = 6123456789;

    public static string Raw(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "BotApi", name + ".json"));

    public sealed record Attachment(string FileName, string ContentType);

    /// <summary>A sample that becomes a new message: its text, attachment and what it replies to.</summary>
    public sealed record Message(string Sample, int MessageId, string? Text, Attachment? File = null, int? ReplyTo = null);

    public const string EditedText = "Добрый день! Подскажите, диван «Осло» серого цвета есть в наличии? Ссылка: https://shop.example/oslo";

    public static readonly Message[] Messages =
    [
        new("text_ru", 2201, "Добрый день! Подскажите, диван «Осло» есть в наличии? Ссылка: https://shop.example/oslo"),
        new("photo_caption", 2202, "Вот такой цвет нужен 👆 #заказ", new("photo_AQADb7sxG_y.jpg", "image/jpeg")),
        new("document", 2203, "Реквизиты для счёта", new("Реквизиты ООО Ромашка.pdf", "application/pdf")),
        new("voice", 2204, null, new("voice_AgADvoice1.ogg", "audio/ogg")),
        new("sticker", 2205, "👍", new("sticker_AgADsticker1.tgs", "application/x-tgsticker")),
        new("forwarded", 2206, "Вот адрес доставки: Казань, ул. Баумана, 12"),
        new("reply", 2207, "И ещё: доставка в субботу возможна?", ReplyTo: 2201),
    ];

    /// <summary>Every sample, in the order the customer sent them.</summary>
    public static readonly string[] All = [.. Messages.Select(m => m.Sample), "edited_message", "callback_query", "my_chat_member_kicked"];

    public static TheoryData<string> MessageNames() => [.. Messages.Select(m => m.Sample)];
}
