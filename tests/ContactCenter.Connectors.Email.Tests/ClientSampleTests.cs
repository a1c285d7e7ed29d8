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

    /// <summary>The samples and what each must read as: <see cref="ClientSamples.All"/>.</summary>
    [Theory]
    [MemberData(nameof(ClientSamples.All), MemberType = typeof(ClientSamples))]
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
