using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Email.Tests.Infrastructure;
using Dapper;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>
/// Issue 18: mail that the store refuses is never lost. A non-UTC Date used to make every attempt fail (Npgsql writes
/// only UTC to timestamptz) and the reader then moved past the UID; now dates are stored in UTC, and a message the
/// database refuses is retried, shown on the channel's status and parked with its raw MIME before the UID moves on.
/// </summary>
public sealed class StoreFailureTests(EmailFixture fixture) : IClassFixture<EmailFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetEmailAsync();

    public async Task DisposeAsync()
    {
        await using var db = fixture.Db();
        await db.ExecuteAsync("""
            drop trigger if exists test_refuse_poison on messages;
            drop trigger if exists test_refuse_park on unhandled_inbound;
            drop function if exists test_refuse();
            """);
    }

    [Fact]
    public async Task A_mail_dated_plus_0300_is_stored_at_its_UTC_instant()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var moscow = new DateTimeOffset(DateTime.SpecifyKind(DateTime.UtcNow.AddDays(-1).Date.AddHours(10), DateTimeKind.Unspecified), TimeSpan.FromHours(3));
        var date = moscow.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0300";
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Raw($"""
            From: =?UTF-8?B?0JjQstCw0L0=?= <ivan@customer.ru>
            To: {mailbox.Address}
            Subject: =?UTF-8?B?0JfQsNC60LDQtw==?=
            Date: {date}
            Message-ID: <moscow-1@customer.ru>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit
            """, "Добрый день! Хочу заказать диван.", Encoding.UTF8));

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 1);
        await using var db = fixture.Db();
        var stored = await db.QuerySingleAsync<(string Text, DateTime SentAt, string Subject)>(
            "select text, sent_at, metadata->>'subject' from messages where channel_id = @ChannelId", new { mailbox.ChannelId });
        Assert.Equal("Добрый день! Хочу заказать диван.", stored.Text);
        Assert.Equal("Заказ", stored.Subject);
        Assert.Equal(moscow.UtcDateTime, DateTime.SpecifyKind(stored.SentAt, DateTimeKind.Utc));
        Assert.Equal(7, stored.SentAt.Hour);
    }

    [Fact]
    public async Task A_mail_the_database_refuses_is_parked_with_its_raw_mime_before_the_uid_moves_past_it()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        await using var db = fixture.Db();
        // A database fault the reader cannot get round: every insert of this message is refused (also the plain copy),
        // and at first the parking table refuses too.
        await db.ExecuteAsync("""
            create or replace function test_refuse() returns trigger language plpgsql as $$
            begin raise exception 'refused by the test (%)', tg_table_name; end $$;
            create trigger test_refuse_poison before insert on messages for each row
                when (new.text like '%poison-pill%') execute function test_refuse();
            create trigger test_refuse_park before insert on unhandled_inbound for each row execute function test_refuse();
            """);
        var poison = Mail.Bytes(Mail.Text(mailbox.Address, "Order", "poison-pill: this one the database refuses", messageId: "poison@customer.test"));
        await fixture.Imap.AppendAsync(mailbox.Address, poison);
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Next", "the mail after it")));

        // Stuck on UID 1 while nothing can keep it: the failure is on the channel, the UID has not moved, and the mail
        // after it waits (the reader never skips a message it could not keep).
        await fixture.WaitUntilAsync(async () => (await StatusErrorAsync(mailbox.ChannelId))?.Contains("nor kept in unhandled_inbound", StringComparison.Ordinal) == true,
            "the channel's status to report the email that cannot be stored or parked");
        Assert.Contains("UID 1", await StatusErrorAsync(mailbox.ChannelId), StringComparison.Ordinal);
        Assert.Equal(0, await LastUidAsync(mailbox.ChannelId));
        Assert.Equal(0, await fixture.MessageCountAsync(mailbox.ChannelId));
        Assert.Equal(0, await fixture.CountAsync("unhandled_inbound"));

        await db.ExecuteAsync("drop trigger test_refuse_park on unhandled_inbound");

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 1);
        await fixture.WaitUntilAsync(async () => await LastUidAsync(mailbox.ChannelId) == 2, "the UID to move past both mails");
        var parked = await db.QuerySingleAsync<(long ChannelId, string ExternalId, string Kind, string Raw)>(
            "select channel_id, external_id, kind, raw::text as raw from unhandled_inbound");
        Assert.Equal((mailbox.ChannelId, "email:poison@customer.test", "email"), (parked.ChannelId, parked.ExternalId, parked.Kind));
        var raw = JsonNode.Parse(parked.Raw)!;
        // The IMAP server keeps the mail with CRLF line ends; otherwise the bytes are the ones appended.
        Assert.Equal(Encoding.UTF8.GetString(poison).ReplaceLineEndings("\r\n"), Encoding.UTF8.GetString(Convert.FromBase64String(raw["mimeBase64"]!.GetValue<string>())));
        Assert.Equal(1, raw["uid"]!.GetValue<long>());
        Assert.Contains("refused by the test", raw["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var next = Assert.Single(await fixture.MessagesAsync(mailbox.ChannelId));
        Assert.Equal("the mail after it", next.Text);
        Assert.Contains("kept with its raw MIME in unhandled_inbound", await StatusErrorAsync(mailbox.ChannelId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_readers_own_login_failure_keeps_the_set_up_checks_smtp_half()
    {
        var (_, wrong) = await fixture.CreateMailboxChannelAsync(password: "not-the-password", waitForReader: false);
        var channelId = wrong["id"]!.GetValue<long>();
        // The set-up check and the reader both say it in the same words (the reader may write before the answer is read).
        var created = wrong["statusError"]!.GetValue<string>();
        Assert.StartsWith("IMAP login failed for ", created, StringComparison.Ordinal);
        Assert.Contains(" SMTP login failed for ", created, StringComparison.Ordinal);
        // A stale IMAP half beside a known SMTP half: the reader's next failed login replaces the first and keeps the second
        // (it was overwritten, and the admin no longer saw that the SMTP password was wrong too).
        const string smtp = "SMTP login failed for kept at 127.0.0.1:1: earlier";
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update channels set status_error = @error where id = @channelId", new { channelId, error = "IMAP: stale " + smtp });
        }
        await fixture.WaitUntilAsync(async () => (await StatusErrorAsync(channelId))?.StartsWith("IMAP login failed for ", StringComparison.Ordinal) == true,
            "the reader reports its own IMAP login failure again");
        var after = await StatusErrorAsync(channelId);
        Assert.EndsWith(" " + smtp, after, StringComparison.Ordinal);
        Assert.DoesNotContain("stale", after, StringComparison.Ordinal);
    }

    private async Task<string?> StatusErrorAsync(long channelId)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<string?>("select status_error from channels where id = @channelId", new { channelId });
    }

    private async Task<long> LastUidAsync(long channelId)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>("select coalesce(max(last_uid), 0) from email_mailbox_state where channel_id = @channelId", new { channelId });
    }
}
