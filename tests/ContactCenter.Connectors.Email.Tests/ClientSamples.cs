namespace ContactCenter.Connectors.Email.Tests;

/// <summary>
/// Mail as real clients write it (Samples/*.eml, built from the published shapes of Outlook, Gmail, Yandex, Mail.ru,
/// Apple Mail and 1C) and what each must read as: sender, display name, subject, a passage of its text, the Date
/// header's instant in UTC (null when the mail has no usable Date: then the receive time) and its files' names in order.
/// Used by the parser's own tests (no server) and by the stored-once tests through real IMAP.
/// </summary>
public static class ClientSamples
{
    public static TheoryData<string, string, string, string, string, string?, string[]> All => new()
    {
        { "outlook-tnef.eml", "anna.schmidt@contoso.test", "Schmidt, Anna", "AW: Angebot Sofa \"Oslo\"",
            "anbei unsere Preisliste für das Sofa »Oslo«. Können Sie bis Freitag liefern?", "2026-11-30T13:05:12Z", new[] { "price-list.csv" } },
        { "gmail.eml", "john.miller@gmail.test", "John Miller", "Delivery question + photo of the room",
            "Could the sofa be delivered on Saturday? Photo of the room attached — will it fit?", "2026-12-01T17:15:42Z", new[] { "room.png" } },
        { "yandex-koi8r.eml", "olga.smirnova@yandex.test", "Ольга Смирнова", "Диван Осло — есть серый?",
            "Подскажите, пожалуйста, есть ли диван 'Осло' в сером цвете?", "2026-12-01T09:34:56Z", Array.Empty<string>() },
        { "mailru-cp1251.eml", "ivan.petrov@mail.test", "Иван Петров", "Re: Доставка дивана",
            "Да, суббота подходит. Адрес: Москва, ул. Лесная, 5.", "2026-12-02T06:01:02Z", Array.Empty<string>() },
        { "apple-mail.eml", "claire.dubois@icloud.test", "Claire Dubois", "Canapé livré abîmé",
            "Le canapé est arrivé abîmé, voir la photo.", "2026-12-01T17:22:05Z", new[] { "damage.png" } },
        { "1c-invoice-cp1251-no-charset.eml", "buh@mebel-dvor.test", "Бухгалтерия Мебельный двор", "Счет на оплату № 123 от 02.12.2026",
            "Направляем Вам счет на оплату № 123 от 02.12.2026 на сумму 45 000,00 руб.", "2026-12-02T08:00:00Z", new[] { "Счет № 123.pdf" } },
        { "no-date.eml", "robot-free@legacy.test", "Old Script", "Callback request",
            "Please call me back at +1 415 555 0199.", null, Array.Empty<string>() },
        { "broken-date.eml", "broken@legacy.test", "Broken Client", "Order status",
            "Where is my order 5521?", null, Array.Empty<string>() },
        { "forwarded-rfc822.eml", "peter.novak@customer.test", "Peter Novak", "Fwd: Original question about the warranty",
            "Forwarding my wife's question below, please answer us both.", "2026-12-01T16:40:00Z", new[] { "Original question about the warranty.eml" } },
        { "calendar-invite.eml", "mark.lee@gmail.test", "Mark Lee", "Invitation: Showroom visit @ Mon Dec 7, 2026 10am - 10:30am (UTC)",
            "You have been invited to the following event.", "2026-12-01T08:00:00Z", new[] { "invite.ics", "invite.ics" } },
        // 1C / PHP: Subject, sender name and file name as raw windows-1251 bytes, not RFC 2047 words (outside review, session 29).
        { "raw8bit-cp1251-headers.eml", "buh@romashka.test", "Бухгалтерия ООО Ромашка", "Счет на оплату №77 от 02.12.2026",
            "Добрый день! Направляем счет.", "2026-12-02T08:00:00Z", new[] { "Счет 77.pdf" } },
        // A web form sends from noreply@ with the person in Reply-To: the person is the sender (and where replies go).
        { "webform-replyto.eml", "olga@customer2.test", "Ольга", "Заявка с сайта", "Хочу диван", "2026-12-06T08:48:17Z", Array.Empty<string>() },
    };

    public static byte[] Read(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Samples", file));
}
