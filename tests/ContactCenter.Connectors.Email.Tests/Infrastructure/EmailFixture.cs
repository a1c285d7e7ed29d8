using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Connectors.Email.Tests.Infrastructure;

/// <summary>The app (real Kestrel, PostgreSQL, Redis) plus a real dovecot and a real SMTP server, with fast reader timings.</summary>
public class EmailFixture : AppFixture
{
    public const int MaxMessageBytes = 300_000;

    public DovecotServer Imap { get; private set; } = null!;

    public SmtpReceiver Smtp { get; } = new();

    public override async Task InitializeAsync()
    {
        Imap = await DovecotServer.StartAsync();
        await base.InitializeAsync();
    }

    /// <summary>Settings for another node on the same database (fast reader timings).</summary>
    public IDictionary<string, string?> NodeSettings(bool useIdle = true)
    {
        var settings = base.ExtraSettings();
        foreach (var (key, value) in EmailTimings)
        {
            settings[key] = value;
        }
        settings["Email:UseIdle"] = useIdle ? "true" : "false";
        return settings;
    }

    private static readonly Dictionary<string, string> EmailTimings = new()
    {
        ["Email:ScanInterval"] = "00:00:00.250",
        ["Email:PollInterval"] = "00:00:00.300",
        ["Email:ReconnectBaseDelay"] = "00:00:00.200",
        ["Email:ReconnectMaxDelay"] = "00:00:01",
        ["Email:Timeout"] = "00:00:10",
        ["Email:MaxMessageBytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:NodeTimeout"] = "00:00:05",
        ["Crm:PollInterval"] = "00:00:00.200",
    };

    /// <summary>Whether the fixture's own node reads mailboxes (tests of several nodes start their own).</summary>
    protected virtual bool AppReadsMailboxes => true;

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = NodeSettings();
        settings["Email:ReadMailboxes"] = AppReadsMailboxes ? "true" : "false";
        return settings;
    }

    public override async Task DisposeAsync()
    {
        try
        {
            if (App is not null)
            {
                await base.DisposeAsync();
            }
        }
        finally
        {
            if (Imap is not null)
            {
                await Imap.DisposeAsync();
            }
            await Smtp.DisposeAsync();
        }
    }

    /// <summary>Stops every reader (so none writes state for a channel id the truncation is about to reuse), then resets (automation rules too).</summary>
    public async Task ResetEmailAsync()
    {
        await using (var db = Db())
        {
            await db.ExecuteAsync("update channels set enabled = false");
        }
        await ExecuteResetAsync("truncate table automation_action_runs, automation_jobs, automation_rules restart identity cascade");
        if (AppReadsMailboxes)
        {
            await WaitForReadersAsync(App, 0);
        }
        await ResetAsync();
    }

    public static async Task WaitForReadersAsync(AppNode node, int count, TimeSpan? timeout = null)
    {
        var readers = node.Services.GetRequiredService<EmailReaderService>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        readers.Wake();
        while (readers.Reading.Count != count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} readers, node has {readers.Reading.Count}.");
            }
            await Task.Delay(50);
        }
    }

    public sealed record Mailbox(long ChannelId, string Address);

    /// <summary>Creates an email channel on a fresh dovecot mailbox through the admin API.</summary>
    public async Task<(Mailbox Mailbox, JsonObject Channel)> CreateMailboxChannelAsync(string? password = null, int? imapPort = null, bool waitForReader = true)
    {
        var address = $"sales-{Guid.NewGuid().ToString("N")[..8]}@shop.test";
        using var http = App.Http(AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "email",
            name = "Sales",
            settings = new
            {
                address,
                imapHost = "127.0.0.1",
                imapPort = imapPort ?? Imap.Port,
                imapSecurity = "none",
                smtpHost = "127.0.0.1",
                smtpPort = Smtp.Port,
                smtpSecurity = "none",
                username = address,
                password = password ?? DovecotServer.Password,
            },
        });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        var mailbox = new Mailbox(body!["id"]!.GetValue<long>(), address);
        if (waitForReader && AppReadsMailboxes)
        {
            await WaitForReadersAsync(App, 1);
        }
        return (mailbox, body);
    }

    public async Task<long> MessageCountAsync(long channelId)
    {
        await using var db = Db();
        return await db.ExecuteScalarAsync<long>("select count(*) from messages where channel_id = @channelId", new { channelId });
    }

    public async Task WaitForMessagesAsync(long channelId, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        long seen;
        while ((seen = await MessageCountAsync(channelId)) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} messages on channel {channelId}, have {seen}. dovecot log: {Imap.Log()[^Math.Min(2000, Imap.Log().Length)..]}");
            }
            await Task.Delay(100);
        }
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for: " + what);
            }
            await Task.Delay(100);
        }
    }

    public sealed class StoredMessage
    {
        public long Id { get; init; }
        public long ConversationId { get; init; }
        public string? ExternalId { get; init; }
        public string? Text { get; init; }
        public string? Html { get; init; }
        public string? Metadata { get; init; }
        public string Direction { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Error { get; init; }

        public JsonObject Meta => Metadata is null ? [] : JsonNode.Parse(Metadata)!.AsObject();

        public string? M(string key) => Meta[key]?.GetValue<string>();
    }

    public async Task<List<StoredMessage>> MessagesAsync(long channelId)
    {
        await using var db = Db();
        return (await db.QueryAsync<StoredMessage>(
            "select id, conversation_id, external_id, text, html, metadata::text as metadata, direction, status, error from messages where channel_id = @channelId order by id",
            new { channelId })).ToList();
    }
}

/// <summary>An app node that does not read mail: the tests start (and stop) the reading nodes themselves.</summary>
public sealed class NodesFixture : EmailFixture
{
    protected override bool AppReadsMailboxes => false;
}
