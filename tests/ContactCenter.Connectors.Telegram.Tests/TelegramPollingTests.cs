using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Telegram.Tests;

/// <summary>No public URL and polling on: bots are read with getUpdates.</summary>
public sealed class TelegramPollingFixture : TelegramFixture
{
    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Telegram:PollingEnabled"] = "true";
        settings["Telegram:PollTimeoutSeconds"] = "0";
        settings["Telegram:ChannelRefreshInterval"] = "00:00:00.200";
        settings["Telegram:PollIdleDelay"] = "00:00:00.100";
        settings["Telegram:PollErrorDelay"] = "00:00:00.200";
        return settings;
    }
}

public sealed class TelegramPollingTests(TelegramPollingFixture fixture) : IClassFixture<TelegramPollingFixture>, IAsyncLifetime
{
    /// <summary>
    /// After the reset, two whole refreshes of the channel list: the loops of the previous test's channels have stopped
    /// (a round of one in flight during the reset read the wiped offset and called getUpdates without one, and this test
    /// counted that call as its own); then the stand-in's log starts empty.
    /// </summary>
    public async Task InitializeAsync()
    {
        await fixture.ResetTelegramAsync();
        var poller = fixture.App.Services.GetRequiredService<TelegramPoller>();
        var refreshes = poller.CompletedRefreshes;
        await HttpJson.EventuallyAsync(() => Task.FromResult(poller.CompletedRefreshes >= refreshes + 2), "two refreshes of the channel list");
        fixture.Bot.ResetLogEntries();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Updates_are_read_with_getUpdates_stored_and_the_offset_is_kept_durably()
    {
        var updates = new JsonArray(JsonNode.Parse(TelegramFixture.Sample("start")), JsonNode.Parse(TelegramFixture.Sample("text")));
        var scenario = "poll-" + Guid.NewGuid().ToString("N");
        fixture.Bot.Given(Request.Create().WithPath(fixture.MethodPath("getUpdates")).UsingPost())
            .InScenario(scenario).WillSetStateTo("drained").AtPriority(5)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(new JsonObject { ["ok"] = true, ["result"] = updates }.ToJsonString()));
        fixture.Bot.Given(Request.Create().WithPath(fixture.MethodPath("getUpdates")).UsingPost())
            .InScenario(scenario).WhenStateIs("drained").AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(new JsonObject { ["ok"] = true, ["result"] = new JsonArray() }.ToJsonString()));

        var channel = await fixture.CreateTelegramChannelAsync();
        var channelId = channel["id"]!.GetValue<long>();

        Assert.Equal("polling", channel["public"]!["mode"]!.GetValue<string>());
        Assert.Single(fixture.Calls("deleteWebhook")); // getUpdates does not work while a webhook is set
        await fixture.EventuallyAsync<string>("select value from channel_cursors where channel_id = @channelId and name = 'telegram.offset'",
            v => v == "815200102", new { channelId });
        await using var db = fixture.Db();
        Assert.Equal(2, await fixture.CountAsync("messages"));
        Assert.Equal("utm_vk_autumn2026", await db.ExecuteScalarAsync<string>("select source from leads"));
        Assert.Equal("Здравствуйте! Сколько стоит доставка в Казань? 🚚",
            await db.ExecuteScalarAsync<string>("select text from messages where external_id = '5551234567:1365'"));

        // The next calls ask for what comes after the stored offset.
        await fixture.EventuallyAsync<int>("select 1", _ => fixture.Calls("getUpdates").Count() >= 3);
        var later = fixture.Calls("getUpdates").Skip(1).Select(c => JsonNode.Parse(c.RequestMessage.Body!)!).ToList();
        Assert.All(later, body => Assert.Equal(815200102, body["offset"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_bot_another_node_polls_is_left_alone_until_its_lease_runs_out()
    {
        fixture.StubOk("getUpdates", new JsonArray());
        long channelId;
        await using (var db = fixture.Db())
        {
            // The channel and another node's fresh lease exist before the poller first sees the channel.
            channelId = await db.ExecuteScalarAsync<long>("""
                with c as (
                    insert into channels (kind, name, settings) values ('telegram', 'Shared bot', @settings::jsonb) returning id
                ), l as (
                    insert into channel_cursors (channel_id, name, value) select id, 'telegram.poller', 'other-node' from c
                )
                select id from c
                """, new { settings = new JsonObject { ["botToken"] = TelegramFixture.Token, ["webhookSecret"] = TelegramFixture.Secret, ["apiBaseUrl"] = fixture.BotApiUrl }.ToJsonString() });
        }
        // Two whole rounds of the channel's loop: it found the other node's lease both times (a positive event, not a sleep).
        var poller = fixture.App.Services.GetRequiredService<TelegramPoller>();
        var seen = poller.CompletedRounds(channelId);
        await HttpJson.EventuallyAsync(() => Task.FromResult(poller.CompletedRounds(channelId) >= seen + 2), "two rounds of the channel's loop");
        Assert.Empty(fixture.Calls("getUpdates"));

        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update channel_cursors set updated_at = now() - interval '5 minutes' where channel_id = @channelId", new { channelId });
        }

        await fixture.EventuallyAsync<int>("select 1", _ => fixture.Calls("getUpdates").Any());
        await using (var db = fixture.Db())
        {
            Assert.NotEqual("other-node", await db.ExecuteScalarAsync<string>(
                "select value from channel_cursors where channel_id = @channelId and name = 'telegram.poller'", new { channelId }));
        }
    }

    [Fact]
    public async Task A_disabled_channel_is_not_polled()
    {
        fixture.StubOk("getUpdates", new JsonArray());
        var channelId = await fixture.CreateChannelIdAsync();
        await fixture.EventuallyAsync<int>("select 1", _ => fixture.Calls("getUpdates").Any());

        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            (await System.Net.Http.Json.HttpClientJsonExtensions.PatchAsJsonAsync(http, $"/api/channels/{channelId}", new { enabled = false })).EnsureSuccessStatusCode();
        }
        // The channel's loop has ended; then two whole refreshes of the channel list did not start another.
        var poller = fixture.App.Services.GetRequiredService<TelegramPoller>();
        await HttpJson.EventuallyAsync(() => Task.FromResult(!poller.IsPolling(channelId)), "the channel's loop to end");
        var before = fixture.Calls("getUpdates").Count();
        var refreshes = poller.CompletedRefreshes;
        await HttpJson.EventuallyAsync(() => Task.FromResult(poller.CompletedRefreshes >= refreshes + 2), "two refreshes of the channel list");

        Assert.False(poller.IsPolling(channelId));
        Assert.Equal(before, fixture.Calls("getUpdates").Count());
    }
}
