namespace ContactCenter.Connectors.Sms.Tests;

/// <summary>
/// Twilio's webhook posts as they come over the wire (Samples/*.form: the urlencoded body, fields in Twilio's order),
/// shaped after Twilio's documented incoming-message and status-callback parameters and real posts: Cyrillic and emoji
/// bodies, MMS with NumMedia &gt; 0, an opt-out with Advanced Opt-Out's OptOutType, callbacks with ErrorCode 30003/30007.
/// The samples share one account SID (<see cref="AccountSid"/>) that the webhook tests swap for their channel's.
/// </summary>
public static class TwilioSamples
{
    public const string AccountSid = "AC3f8a2b6c1d7e4f90a1b2c3d4e5f60718";

    /// <summary>The MessageSid the status samples carry; the webhook tests put their reply's SID in its place.</summary>
    public const string StatusMessageSid = "SM00000000000000000000000000000000";

    public static string Raw(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name + ".form"));

    /// <summary>The fields in posted order, decoded as ASP.NET decodes a form.</summary>
    public static List<KeyValuePair<string, string>> Fields(string name) =>
        Raw(name).Split('&').Select(pair => pair.Split('=', 2)).Select(p => KeyValuePair.Create(Decode(p[0]), Decode(p.Length > 1 ? p[1] : ""))).ToList();

    public static Dictionary<string, string> Form(string name) => Fields(name).ToDictionary(f => f.Key, f => f.Value);

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    public sealed record Attachment(string FileName, string ContentType);

    public sealed record Inbound(string Sample, string? Text, string Phone, Attachment[] Attachments, string? Keyword = null);

    public static readonly Inbound[] Inbounds =
    [
        new("inbound-sms-cyrillic", "Здравствуйте! Диван ещё в наличии? Хотим забрать в субботу, адрес: ул. Ленина, д. 5, кв. 12. Спасибо!", "+79161234567", []),
        new("inbound-sms-emoji", "Thanks!! 👍😊 See you at 3pm 🛋️", "+447700900123", []),
        new("inbound-mms-photo", null, "+79161234567", [new("ME5c4b3a29180716253443526170809aab.jpg", "image/jpeg")]),
        new("inbound-mms-photo-and-vcard", "Фото упаковки и мой контакт", "+14155550123",
            [new("ME0a1b2c3d4e5f60718293a4b5c6d7e8f9.png", "image/png"), new("ME9f8e7d6c5b4a39281706f5e4d3c2b1a0.vcf", "text/vcard")]),
        new("inbound-sms-stop", "STOP", "+14155550199", [], Keyword: "STOP"),
    ];

    public sealed record Status(string Sample, string Expected, string? Error);

    public static readonly Status[] Statuses =
    [
        new("status-sent", "sent", null),
        new("status-delivered", "delivered", null),
        new("status-undelivered-30003", "failed", "Not delivered: unreachable handset (Twilio error 30003)."),
        new("status-failed-30007", "failed", "Failed: filtered by the carrier as spam (Twilio error 30007)."),
    ];

    public static TheoryData<string> InboundNames() => [.. Inbounds.Select(i => i.Sample)];

    public static TheoryData<string> StatusNames() => [.. Statuses.Select(s => s.Sample)];
}
