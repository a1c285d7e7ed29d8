using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Email.Tests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>The app over a PostgreSQL cluster of its own, which the test really stops and starts.</summary>
public sealed class RestartFixture : EmailFixture
{
    public PrivatePostgres Server { get; private set; } = null!;

    protected override async Task<string> CreateDatabaseAsync()
    {
        Server = await PrivatePostgres.CreateAsync();
        return await Server.CreateDatabaseAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
        }
    }
}

/// <summary>A Hangfire job the test enqueues: it only records that it ran (Hangfire calls it by type and method name).</summary>
public static class RestartProbe
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Runs = new();

    public static Task Ran(string token) => Runs.GetOrAdd(token, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static void Mark(string token) => Runs.GetOrAdd(token, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>
/// A real PostgreSQL shutdown and start (not a cut proxy) under a running app: without restarting the app, its mailbox
/// reader stores new mail (also mail that arrived while the database was down), the outbox sends a queued reply and
/// Hangfire runs a job. Its own collection and its own cluster: no other test class sees the outage.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresRestartCollection
{
    public const string Name = "PostgresRestart";
}

[Collection(PostgresRestartCollection.Name)]
public sealed class PostgresRestartTests(RestartFixture fixture) : IClassFixture<RestartFixture>
{
    private async Task<bool> ReadyAsync()
    {
        using var http = fixture.App.Http();
        try
        {
            return (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Readers_outbox_and_jobs_work_again_after_postgres_stops_and_starts()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Before", "Before the restart.", messageId: "before@customer.test")));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 1);
        var before = Assert.Single(await fixture.MessagesAsync(mailbox.ChannelId));

        await fixture.Server.StopAsync();
        await fixture.WaitUntilAsync(async () => !await ReadyAsync(), "the app to notice the database is gone");
        // Mail that arrives during the outage waits on the server: its UID is not passed while it cannot be stored.
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "During", "While the database was down.", messageId: "during@customer.test")));
        await fixture.Server.StartAsync();
        // The test's own helper connections (Npgsql's global pool, not the app's data source) died with the server.
        Npgsql.NpgsqlConnection.ClearPool(fixture.Db());
        await fixture.WaitUntilAsync(ReadyAsync, "the app to be ready again", TimeSpan.FromSeconds(30));

        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "After", "After the restart.", messageId: "after@customer.test")));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 3, TimeSpan.FromSeconds(40));
        var inbound = (await fixture.MessagesAsync(mailbox.ChannelId)).Where(m => m.Direction == "inbound").ToList();
        Assert.Equal(["before@customer.test", "during@customer.test", "after@customer.test"], inbound.Select(m => m.ExternalId));

        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            var response = await http.PostAsJsonAsync($"/api/conversations/{before.ConversationId}/messages", new { text = "Reply after the restart." });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var replyId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
            await fixture.Smtp.WaitForAsync(m => m.TextBody?.Contains("Reply after the restart.", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(30));
            await fixture.WaitUntilAsync(async () => (await fixture.MessagesAsync(mailbox.ChannelId)).Single(m => m.Id == replyId).Status == "sent",
                "the reply to leave the outbox as sent");
        }

        var token = Guid.NewGuid().ToString("N");
        fixture.App.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => RestartProbe.Mark(token));
        await RestartProbe.Ran(token).WaitAsync(TimeSpan.FromSeconds(45));
    }
}
