using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.FunctionalTests;

/// <summary>The app runs on a fake clock, so a scripted conversation gives exact seconds.</summary>
public sealed class FakeClockFixture : AppFixture
{
    // An hour back, so tokens issued on the fake clock are valid for the real one that checks them.
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow.AddHours(-1));

    protected override void ConfigureServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
}

public sealed class ResponseTimeTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/api/stats/response-times?to=0001-01-01T00:00:00Z")]
    [InlineData("/api/stats/funnel?to=0001-01-01T00:00:00Z")]
    [InlineData("/api/stats/response-times?to=0001-01-15T00:00:00Z")]
    public async Task A_period_that_ends_at_the_dawn_of_time_is_a_400_or_an_empty_report_never_a_500(string url)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var response = await admin.GetAsync(url);
        Assert.True(response.StatusCode is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.BadRequest,
            $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task First_response_reply_and_resolution_are_exact_and_automated_or_private_messages_do_not_count()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("timed", "manager", channel.Id);
        using var http = fixture.App.Http(manager.Token);
        var clock = fixture.Clock;
        var start = clock.GetUtcNow();

        var conversation = (await fixture.IngestAsync(channel, "t-1", "cust", "hello"))["conversationId"]!.GetValue<long>();
        clock.Advance(TimeSpan.FromSeconds(30));
        await fixture.App.Services.GetRequiredService<ConversationService>()
            .ReplyAsync(new CurrentUser(manager.Id, "Bot", Roles.Admin), conversation, "Auto: we got your message", null, false, CancellationToken.None, automated: true);
        (await http.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "note to self", @private = true })).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromSeconds(60));
        (await http.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Hello! How can I help?" })).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromSeconds(30));
        await fixture.IngestAsync(channel, "t-2", "cust", "I need a quote");
        clock.Advance(TimeSpan.FromSeconds(45));
        (await http.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Sure, sending it." })).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromSeconds(10));
        (await http.PostAsJsonAsync($"/api/conversations/{conversation}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        // Reopened by the customer: a new first response is measured from the reopen.
        clock.Advance(TimeSpan.FromSeconds(100));
        await fixture.IngestAsync(channel, "t-3", "cust", "One more thing");
        clock.Advance(TimeSpan.FromSeconds(60));
        (await http.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Yes?" })).EnsureSuccessStatusCode();

        await using var db = fixture.Db();
        var events = (await db.QueryAsync<(string Kind, double Seconds)>("select kind, seconds from response_events order by id")).ToList();
        Assert.Equal(
            [("first_response", 90.0), ("reply", 90.0), ("reply", 45.0), ("resolution", 175.0), ("first_response", 60.0), ("reply", 60.0)],
            events);

        using var supervisor = fixture.App.Http(fixture.AdminToken);
        var from = Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"));
        var to = Uri.EscapeDataString(clock.GetUtcNow().AddMinutes(1).ToString("O"));
        var report = await supervisor.GetFromJsonAsync<JsonObject>($"/api/stats/response-times?from={from}&to={to}");
        var overall = report!["overall"]!;
        Assert.Equal(1, overall["conversations"]!.GetValue<long>());
        Assert.Equal(2, overall["firstResponse"]!["count"]!.GetValue<long>());
        Assert.Equal(75.0, overall["firstResponse"]!["median"]!.GetValue<double>());
        Assert.Equal(3, overall["reply"]!["count"]!.GetValue<long>());
        Assert.Equal(60.0, overall["reply"]!["median"]!.GetValue<double>());
        Assert.Equal(84.0, overall["reply"]!["p90"]!.GetValue<double>(), 6); // percentile_cont over 45, 60, 90
        var byUser = Assert.Single(report["byUser"]!.AsArray())!;
        Assert.Equal(manager.Id, byUser["userId"]!.GetValue<long>());
        Assert.Equal(channel.Id, Assert.Single(report["byChannel"]!.AsArray())!["channelId"]!.GetValue<long>());
    }

    [Fact]
    public async Task Business_hours_and_targets_are_kept_beside_wall_clock_seconds()
    {
        var today = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");
        var secret = "bh-secret-0123456789abcdef";
        var settings = JsonNode.Parse($$$"""
            {"secret": "{{{secret}}}", "sla": {"firstResponseSeconds": 30},
             "businessHours": {"timeZone": "UTC", "week": {"mon": [["00:00","24:00"]], "tue": [["00:00","24:00"]], "wed": [["00:00","24:00"]],
                 "thu": [["00:00","24:00"]], "fri": [["00:00","24:00"]], "sat": [["00:00","24:00"]], "sun": [["00:00","24:00"]]},
              "holidays": ["{{{today}}}"]}}
            """)!.AsObject();
        var created = await fixture.CreateChannelAsync("api", "Holiday desk", settings);
        var channel = new AppFixture.ApiChannel(created["id"]!.GetValue<long>(), secret);
        using var http = fixture.App.Http(fixture.AdminToken);
        var conversation = (await fixture.IngestAsync(channel, "bh-1", "cust", "anyone there?"))["conversationId"]!.GetValue<long>();
        fixture.Clock.Advance(TimeSpan.FromSeconds(40));

        (await http.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Yes, even today." })).EnsureSuccessStatusCode();

        await using var db = fixture.Db();
        var first = await db.QuerySingleAsync<(double Seconds, double Business, int? Target, bool? Within)>(
            "select seconds, business_seconds, target_seconds, within_target from response_events where kind = 'first_response'");
        Assert.Equal(40.0, first.Seconds);
        Assert.Equal(0.0, first.Business); // the whole wait fell on a holiday
        Assert.Equal(30, first.Target);
        Assert.True(first.Within);
    }

    [Fact]
    public async Task A_customer_clock_ahead_of_ours_does_not_shorten_the_wait()
    {
        // Moscow's 15:00 sent as 15:00Z (three hours ahead): the wait began when the message came, not in the future. It
        // counted as a first response of 0 s, the queue showed no wait and the SLA could not breach for three hours.
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("clocked", "manager", channel.Id);
        var sentAt = fixture.Clock.GetUtcNow().AddHours(3).ToString("yyyy-MM-ddTHH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var body = System.Text.Json.JsonSerializer.Serialize(new { externalId = "ahead-1", contact = new { externalId = "ahead" }, text = "hello", sentAt });
        var response = await fixture.PostInboundAsync(channel, body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var conversation = (await response.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();
        fixture.Clock.Advance(TimeSpan.FromSeconds(40));

        using var supervisor = fixture.App.Http(fixture.AdminToken);
        var queue = await supervisor.GetFromJsonAsync<JsonObject>("/api/stats/queue");
        var waiting = queue!["waiting"]!.AsArray().Single(w => w!["conversationId"]!.GetValue<long>() == conversation)!;
        Assert.Equal(40, waiting["waitingSeconds"]!.GetValue<long>());
        using var http = fixture.App.Http(manager.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Hello!" })).EnsureSuccessStatusCode();

        await using var db = fixture.Db();
        Assert.Equal(40.0, await db.ExecuteScalarAsync<double>("select seconds from response_events where kind = 'first_response'"));
    }
}
