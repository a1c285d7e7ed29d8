using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Email.Tests.Infrastructure;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>
/// Reader life cycle against a real dovecot: restarts, UIDVALIDITY changes, one reader per mailbox across nodes,
/// polling without IDLE, and the set-up check. The fixture's node reads no mail; each test starts its reading nodes.
/// </summary>
public sealed class MailboxSyncTests(NodesFixture fixture) : IClassFixture<NodesFixture>, IAsyncLifetime
{
    private readonly List<AppNode> nodes = [];

    public Task InitializeAsync() => fixture.ResetEmailAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }

    private AppNode StartNode(bool useIdle = true)
    {
        var node = new AppNode(fixture.Postgres, TestEnvironment.Redis, fixture.NodeSettings(useIdle));
        nodes.Add(node);
        return node;
    }

    private async Task StopNodeAsync(AppNode node)
    {
        nodes.Remove(node);
        await node.DisposeAsync();
    }

    private static int Reading(AppNode node) => ReadingIds(node).Count;

    private static IReadOnlyCollection<long> ReadingIds(AppNode node) => node.Services.GetRequiredService<EmailReaderService>().Reading;

    private static async Task ScansAsync(AppNode node, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await node.Services.GetRequiredService<EmailReaderService>().ScansAsync(count, timeout.Token);
    }

    private async Task<(long UidValidity, long LastUid)> StateAsync(long channelId)
    {
        await using var db = fixture.Db();
        return await db.QuerySingleAsync<(long, long)>("select uid_validity, last_uid from email_mailbox_state where channel_id = @channelId", new { channelId });
    }

    [Fact]
    public async Task A_restart_after_a_crash_mid_batch_loses_nothing_and_duplicates_nothing()
    {
        var node = StartNode();
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        for (var i = 1; i <= 5; i++)
        {
            await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, $"Batch {i}", $"message {i}")));
        }
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 5);
        // The UID is recorded right after its message is stored.
        await fixture.WaitUntilAsync(async () => (await StateAsync(mailbox.ChannelId)).LastUid == 5, "the state to reach UID 5");
        await StopNodeAsync(node);

        // As if the node died after storing messages 3-5 but before their UIDs were recorded.
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update email_mailbox_state set last_uid = 2 where channel_id = @channelId", new { mailbox.ChannelId });
        }
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Batch 6", "message 6")));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Batch 7", "message 7")));
        StartNode();

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 7);
        await fixture.WaitUntilAsync(async () => (await StateAsync(mailbox.ChannelId)).LastUid == 7, "the state to reach UID 7");
        var messages = await fixture.MessagesAsync(mailbox.ChannelId);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"message {i}"), messages.Select(m => m.Text));
        Assert.Equal(7, messages.Select(m => m.ExternalId).Distinct().Count());
        Assert.Equal(7, await fixture.CountAsync("timeline_entries where type = 'message'"));
    }

    [Fact]
    public async Task A_uidvalidity_change_resyncs_without_duplicates()
    {
        var node = StartNode();
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "One", "first")));
        // No Message-ID: deduplicated by the hash of its bytes.
        await fixture.Imap.AppendAsync(mailbox.Address, System.Text.Encoding.ASCII.GetBytes(
            $"From: Old Client <old@customer.test>\r\nTo: {mailbox.Address}\r\nSubject: No id\r\n\r\nwithout a message id\r\n"));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 2);
        await fixture.WaitUntilAsync(async () => (await StateAsync(mailbox.ChannelId)).LastUid == 2, "the state to reach UID 2");
        var before = await StateAsync(mailbox.ChannelId);
        await StopNodeAsync(node);

        await fixture.Imap.ChangeUidValidityAsync(mailbox.Address, 4242);
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Three", "third")));
        StartNode();

        await fixture.WaitUntilAsync(async () => (await StateAsync(mailbox.ChannelId)) == (4242, 3), "the state to move to the new UIDVALIDITY");
        Assert.NotEqual(4242, before.UidValidity);
        var messages = await fixture.MessagesAsync(mailbox.ChannelId);
        Assert.Equal(["first", "without a message id", "third"], messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Each_mailbox_is_read_by_one_node_and_another_takes_over_polling_when_it_stops()
    {
        var first = StartNode();
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        await EmailFixture.WaitForReadersAsync(first, 1);
        var second = StartNode(useIdle: false);
        await ScansAsync(second, 3); // two whole scans of the second node: it leaves the mailbox to the first
        Assert.Equal(0, Reading(second));
        Assert.Equal(1, Reading(first));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Hello", "while the first node reads")));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 1);

        await StopNodeAsync(first);
        await EmailFixture.WaitForReadersAsync(second, 1);
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Hello again", "after the takeover")));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 2);
        var messages = await fixture.MessagesAsync(mailbox.ChannelId);
        Assert.Equal(["while the first node reads", "after the takeover"], messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Mailboxes_are_spread_over_the_nodes_and_a_stopped_node_hands_its_mailbox_to_the_other()
    {
        var first = StartNode();
        var (one, _) = await fixture.CreateMailboxChannelAsync();
        var (two, _) = await fixture.CreateMailboxChannelAsync();
        await EmailFixture.WaitForReadersAsync(first, 2); // alone, it reads both

        var second = StartNode();
        await EmailFixture.WaitForReadersAsync(second, 1);
        await EmailFixture.WaitForReadersAsync(first, 1);
        await Task.WhenAll(ScansAsync(first, 3), ScansAsync(second, 3)); // whole scans of both: the split holds, nobody takes a second one back
        Assert.Equal(1, Reading(first));
        Assert.Equal(1, Reading(second));
        var secondsMailbox = ReadingIds(second).Single();
        Assert.Equal([one.ChannelId, two.ChannelId], ReadingIds(first).Concat(ReadingIds(second)).Order());
        foreach (var mailbox in new[] { one, two })
        {
            await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Hello", "read by its node")));
            await fixture.WaitForMessagesAsync(mailbox.ChannelId, 1);
        }

        await StopNodeAsync(second);
        await EmailFixture.WaitForReadersAsync(first, 2);
        var handedOver = secondsMailbox == one.ChannelId ? one : two;
        await fixture.Imap.AppendAsync(handedOver.Address, Mail.Bytes(Mail.Text(handedOver.Address, "Hello again", "after the hand-over")));
        await fixture.WaitForMessagesAsync(handedOver.ChannelId, 2);
        Assert.Equal(["read by its node", "after the hand-over"], (await fixture.MessagesAsync(handedOver.ChannelId)).Select(m => m.Text));
    }

    [Fact]
    public async Task A_lost_imap_connection_shows_on_the_channel_and_the_reader_reconnects_and_catches_up()
    {
        await using var proxy = new TcpProxy("127.0.0.1", fixture.Imap.Port);
        var node = StartNode();
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync(imapPort: proxy.Port);
        await EmailFixture.WaitForReadersAsync(node, 1);
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Before", "before the outage")));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 1);

        proxy.Stop(); // the IDLE connection is cut and new ones are refused
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "During", "during the outage")));
        await fixture.WaitUntilAsync(async () => (await StatusErrorAsync(mailbox.ChannelId))?.StartsWith("IMAP: cannot connect to 127.0.0.1", StringComparison.Ordinal) == true,
            "the outage shown on the channel");
        Assert.Equal(1, await fixture.MessageCountAsync(mailbox.ChannelId));

        proxy.Start();
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 2);
        await fixture.WaitUntilAsync(async () => await StatusErrorAsync(mailbox.ChannelId) is null, "the error cleared after reconnecting");
        Assert.Equal(["before the outage", "during the outage"], (await fixture.MessagesAsync(mailbox.ChannelId)).Select(m => m.Text));
    }

    private async Task<string?> StatusErrorAsync(long channelId)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<string?>("select status_error from channels where id = @channelId", new { channelId });
    }

    [Fact]
    public async Task The_readers_own_status_writes_replace_only_the_imap_half_of_the_set_up_checks_message()
    {
        // A channel no mail reader runs for, so only these writes touch its status.
        var channelId = (await fixture.CreateApiChannelAsync(name: "Status halves " + Guid.NewGuid().ToString("N")[..6])).Id;
        var store = fixture.App.Services.GetRequiredService<IEmailStore>();
        async Task<string?> WithStatusAsync(string? status, Func<Task> write)
        {
            await using (var db = fixture.Db())
            {
                await db.ExecuteAsync("update channels set status_error = @status where id = @channelId", new { status, channelId });
            }
            await write();
            return await StatusErrorAsync(channelId);
        }
        const string smtp = "SMTP login failed for anna at 127.0.0.1:2525: 535 Authentication failed";
        const string check = "IMAP login failed for anna at 127.0.0.1:1143: no. " + smtp;
        Assert.Equal("IMAP: cannot connect to 127.0.0.1 " + smtp,
            await WithStatusAsync(check, () => store.SetImapErrorAsync(channelId, "IMAP: cannot connect to 127.0.0.1", CancellationToken.None)));
        Assert.Equal("IMAP login failed: no", await WithStatusAsync("IMAP: cannot connect to 127.0.0.1", () => store.SetImapErrorAsync(channelId, "IMAP login failed: no", CancellationToken.None)));
        Assert.Equal("IMAP login failed: no " + smtp, await WithStatusAsync(smtp, () => store.SetImapErrorAsync(channelId, "IMAP login failed: no", CancellationToken.None)));
        // A server's words in the IMAP half are not taken for the SMTP half.
        const string certificate = "IMAP: the TLS certificate of mail.example is not trusted (host name: mail SMTP relay). Use the provider's host name.";
        Assert.Equal("IMAP login failed: no " + smtp, await WithStatusAsync(certificate + " " + smtp, () => store.SetImapErrorAsync(channelId, "IMAP login failed: no", CancellationToken.None)));
        Assert.Equal("IMAP login failed: no", await WithStatusAsync(certificate, () => store.SetImapErrorAsync(channelId, "IMAP login failed: no", CancellationToken.None)));
        Assert.Null(await WithStatusAsync(certificate, () => store.ClearImapErrorAsync(channelId, storeFailure: false, CancellationToken.None)));
        // Connected again: the IMAP half goes, the SMTP half stays until a send or a new check clears it.
        Assert.Equal(smtp, await WithStatusAsync(check, () => store.ClearImapErrorAsync(channelId, storeFailure: false, CancellationToken.None)));
        Assert.Null(await WithStatusAsync("IMAP: cannot connect to 127.0.0.1", () => store.ClearImapErrorAsync(channelId, storeFailure: false, CancellationToken.None)));
        Assert.Equal(smtp, await WithStatusAsync(smtp, () => store.ClearImapErrorAsync(channelId, storeFailure: false, CancellationToken.None)));
        // A store failure's report is cleared only by the store's own success.
        var parked = MailboxReader.StoreFailurePrefix + "the email UID 7 could not be stored";
        Assert.Equal(parked, await WithStatusAsync(parked, () => store.ClearImapErrorAsync(channelId, storeFailure: false, CancellationToken.None)));
        Assert.Null(await WithStatusAsync(parked, () => store.ClearImapErrorAsync(channelId, storeFailure: true, CancellationToken.None)));
    }

    [Fact]
    public async Task The_set_up_check_shows_a_clear_error_when_a_login_fails()
    {
        var (_, wrong) = await fixture.CreateMailboxChannelAsync(password: "not-the-password");
        Assert.Contains("IMAP login failed", wrong["statusError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("SMTP login failed", wrong["statusError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", wrong.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("password", wrong["secretsSet"]!.AsArray().Select(n => n!.GetValue<string>()));

        var (_, unreachable) = await fixture.CreateMailboxChannelAsync(imapPort: 1);
        Assert.Contains("IMAP: cannot connect to 127.0.0.1", unreachable["statusError"]!.GetValue<string>(), StringComparison.Ordinal);

        var (mailbox, good) = await fixture.CreateMailboxChannelAsync();
        Assert.Null(good["statusError"]);
        Assert.Equal(mailbox.Address, good["public"]!["address"]!.GetValue<string>());

        // Fixing the password through PATCH clears the error.
        using var http = fixture.App.Http(fixture.AdminToken);
        var patched = await http.PatchAsJsonAsync($"/api/channels/{wrong["id"]}", new { settings = new { password = DovecotServer.Password } });
        var body = await patched.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Null(body!["statusError"]);

        var invalid = await http.PostAsJsonAsync("/api/channels", new { kind = "email", name = "Broken", settings = new { address = "not an address", imapSecurity = "tls-please" } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonObject>();
        var errors = problem!["errors"]!.AsObject();
        foreach (var field in new[] { "settings.address", "settings.imapHost", "settings.smtpHost", "settings.imapSecurity", "settings.username", "settings.password" })
        {
            Assert.True(errors.ContainsKey(field), field + " missing in " + errors.ToJsonString());
        }
    }
}
