using ContactCenter.Connectors.Email.Tests.Infrastructure;
using Dapper;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>
/// Mail as real clients write it (Samples/*.eml, built from the published shapes of Outlook, Gmail, Yandex, Mail.ru,
/// Apple Mail and 1C): each is stored once, with readable text (no mojibake), the right UTC time and its files.
/// </summary>
public sealed class ClientSampleTests(EmailFixture fixture) : IClassFixture<EmailFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetEmailAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <param name="sentAtUtc">The Date header's instant in UTC; null when the mail has no usable Date (then the receive time).</param>
    /// <param name="attachments">`name=content type` of each file, in order.</param>
    [Theory]
    [InlineData("outlook-tnef.eml", "anna.schmidt@contoso.test", "Schmidt, Anna", "AW: Angebot Sofa \"Oslo\"",
        "anbei unsere Preisliste für das Sofa »Oslo«. Können Sie bis Freitag liefern?", "2026-11-30T13:05:12Z", new[] { "price-list.csv" })]
    [InlineData("gmail.eml", "john.miller@gmail.test", "John Miller", "Delivery question + photo of the room",
        "Could the sofa be delivered on Saturday? Photo of the room attached — will it fit?", "2026-12-01T17:15:42Z", new[] { "room.png" })]
    [InlineData("yandex-koi8r.eml", "olga.smirnova@yandex.test", "Ольга Смирнова", "Диван Осло — есть серый?",
        "Подскажите, пожалуйста, есть ли диван 'Осло' в сером цвете?", "2026-12-01T09:34:56Z", new string[0])]
    [InlineData("mailru-cp1251.eml", "ivan.petrov@mail.test", "Иван Петров", "Re: Доставка дивана",
        "Да, суббота подходит. Адрес: Москва, ул. Лесная, 5.", "2026-12-02T06:01:02Z", new string[0])]
    [InlineData("apple-mail.eml", "claire.dubois@icloud.test", "Claire Dubois", "Canapé livré abîmé",
        "Le canapé est arrivé abîmé, voir la photo.", "2026-12-01T17:22:05Z", new[] { "damage.png" })]
    [InlineData("1c-invoice-cp1251-no-charset.eml", "buh@mebel-dvor.test", "Бухгалтерия Мебельный двор", "Счет на оплату № 123 от 02.12.2026",
        "Направляем Вам счет на оплату № 123 от 02.12.2026 на сумму 45 000,00 руб.", "2026-12-02T08:00:00Z", new[] { "Счет № 123.pdf" })]
    [InlineData("no-date.eml", "robot-free@legacy.test", "Old Script", "Callback request",
        "Please call me back at +1 415 555 0199.", null, new string[0])]
    [InlineData("broken-date.eml", "broken@legacy.test", "Broken Client", "Order status",
        "Where is my order 5521?", null, new string[0])]
    [InlineData("forwarded-rfc822.eml", "peter.novak@customer.test", "Peter Novak", "Fwd: Original question about the warranty",
        "Forwarding my wife's question below, please answer us both.", "2026-12-01T16:40:00Z", new[] { "Original question about the warranty.eml" })]
    [InlineData("calendar-invite.eml", "mark.lee@gmail.test", "Mark Lee", "Invitation: Showroom visit @ Mon Dec 7, 2026 10am - 10:30am (UTC)",
        "You have been invited to the following event.", "2026-12-01T08:00:00Z", new[] { "invite.ics", "invite.ics" })]
    public async Task A_client_sample_is_stored_once_with_readable_text_utc_time_and_files(
        string file, string from, string name, string subject, string text, string? sentAtUtc, string[] attachments)
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var raw = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Samples", file));
        var before = DateTime.UtcNow.AddSeconds(-2);

        await fixture.Imap.AppendAsync(mailbox.Address, raw);

        await fixture.WaitUntilAsync(async () => await LastUidAsync(mailbox.ChannelId) >= 1, "the reader to move past the sample");
        var stored = Assert.Single(await fixture.MessagesAsync(mailbox.ChannelId));
        Assert.Contains(text, stored.Text, StringComparison.Ordinal);
        Assert.Equal(subject, stored.M("subject"));
        Assert.Null(stored.M("warning"));
        foreach (var value in new[] { stored.Text, stored.M("subject"), stored.M("from") })
        {
            // Mojibake of Cyrillic or Latin-1 read in the wrong charset, and replacement characters.
            Assert.DoesNotMatch("[ÐÑÃâ\uFFFD]", value ?? "");
        }
        await using var db = fixture.Db();
        var contact = await db.QuerySingleAsync<(string Name, string Email)>("select name, email from contacts");
        Assert.Equal((name, from), contact);
        var sentAt = DateTime.SpecifyKind(await db.ExecuteScalarAsync<DateTime>("select sent_at from messages where id = @Id", new { stored.Id }), DateTimeKind.Utc);
        if (sentAtUtc is null)
        {
            Assert.InRange(sentAt, before, DateTime.UtcNow.AddSeconds(2));
        }
        else
        {
            Assert.Equal(DateTimeOffset.Parse(sentAtUtc, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, sentAt);
        }
        var files = (await db.QueryAsync<(long Id, string FileName, long Size)>(
            "select id, file_name, size from attachments where message_id = @Id order by id", new { stored.Id })).ToList();
        Assert.Equal(attachments, files.Select(f => f.FileName));
        foreach (var f in files)
        {
            Assert.True(f.Size > 0, $"{f.FileName} is empty");
            Assert.Equal(f.Size, new FileInfo(await fixture.StoredFileAsync(f.Id)).Length);
        }
    }

    [Fact]
    public async Task Files_inside_winmail_dat_and_a_forwarded_message_are_readable()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        foreach (var file in new[] { "outlook-tnef.eml", "forwarded-rfc822.eml", "1c-invoice-cp1251-no-charset.eml" })
        {
            await fixture.Imap.AppendAsync(mailbox.Address, await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Samples", file)));
        }
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 3);

        await using var db = fixture.Db();
        var files = (await db.QueryAsync<(long Id, string FileName)>("select id, file_name from attachments order by id")).ToDictionary(f => f.FileName, f => f.Id);
        Assert.Equal("sofa;1200\r\narmchair;450\r\n", await File.ReadAllTextAsync(await fixture.StoredFileAsync(files["price-list.csv"])));
        Assert.Contains("How long is the warranty on the recliner?",
            await File.ReadAllTextAsync(await fixture.StoredFileAsync(files["Original question about the warranty.eml"])), StringComparison.Ordinal);
        Assert.StartsWith("%PDF-1.4", await File.ReadAllTextAsync(await fixture.StoredFileAsync(files["Счет № 123.pdf"])), StringComparison.Ordinal);
    }

    private async Task<long> LastUidAsync(long channelId)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>("select coalesce(max(last_uid), 0) from email_mailbox_state where channel_id = @channelId", new { channelId });
    }
}
