using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// A fake clock and no Hangfire server: the tests run the wake job and the sweep themselves at the fake time they choose,
/// and no background run can wake a conversation between a test's steps.
/// </summary>
public sealed class SnoozeFixture : AppFixture
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow.AddHours(-1));

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Jobs:Server"] = "false";
        // The SLA tests scan themselves: the monitor's own loop (a day on the fake clock) never races them.
        settings["Sla:ScanInterval"] = "1.00:00:00";
        return settings;
    }

    protected override void ConfigureServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
}

/// <summary>Snooze (issue #16): out of the Open list live, back at its time (job or sweep, on a fake clock) or when the customer writes.</summary>
/// <remarks>The fake clock starts an hour back and must stay behind the real one (tokens): the tests move it by minutes.</remarks>
public sealed class SnoozeTests(SnoozeFixture fixture) : IClassFixture<SnoozeFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private SnoozeService Snoozes => fixture.App.Services.GetRequiredService<SnoozeService>();

    [Fact]
    public async Task Snoozing_leaves_the_open_list_live_and_shows_in_the_snoozed_list_with_its_time_and_a_note()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("snoozer", "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, "s-1", "cust", "hello")).Id("conversationId");
        using var http = fixture.App.Http(manager.Token);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var events = new HubRecorder(hub);
        var until = fixture.Clock.GetUtcNow().AddHours(3);

        var snoozed = await (await http.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { until })).OkJsonAsync();

        Assert.Equal("snoozed", snoozed["status"]!.GetValue<string>());
        Assert.Equal(until.ToUnixTimeSeconds(), snoozed["snoozedUntil"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        var pushed = await events.WaitForAsync("conversationUpdated", c => c.Id() == id && c["status"]!.GetValue<string>() == "snoozed");
        Assert.NotNull(pushed["snoozedUntil"]);
        await events.WaitForAsync("countersChanged", c => c["unassigned"]!.GetValue<long>() == 0);
        var note = await events.WaitForAsync("messageCreated", m => m["direction"]!.GetValue<string>() == "note");
        Assert.StartsWith("Snoozed until", note["text"]!.GetValue<string>());
        // The facts of the note, for the web app to word it in its user's language and time zone.
        Assert.Equal("snoozed", note["metadata"]!["notice"]!.GetValue<string>());
        Assert.Equal(until.ToUnixTimeSeconds(), DateTimeOffset.Parse(note["metadata"]!["until"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        Assert.Equal("snoozer", note["metadata"]!["byName"]!.GetValue<string>());
        Assert.Equal(manager.Id.ToString(CultureInfo.InvariantCulture), note["metadata"]!["by"]!.GetValue<string>());
        Assert.Empty(await ItemsAsync(http, "status=open"));
        var listed = Assert.Single(await ItemsAsync(http, "status=snoozed"));
        Assert.Equal(id, listed.Id());
        Assert.NotNull(listed["snoozedUntil"]);
    }

    [Theory]
    [InlineData("past")]
    [InlineData("over-a-year")]
    [InlineData("nothing")]
    [InlineData("both")]
    [InlineData("bad-preset")]
    public async Task Bad_snooze_requests_are_400_and_change_nothing(string kind)
    {
        var channel = await fixture.CreateApiChannelAsync();
        var id = (await fixture.IngestAsync(channel, "v-1", "cust", "hello")).Id("conversationId");
        using var admin = fixture.App.Http(fixture.AdminToken);
        var now = fixture.Clock.GetUtcNow();
        object body = kind switch
        {
            "past" => new { until = now.AddMinutes(-1) },
            "over-a-year" => new { until = now.AddDays(367) },
            "nothing" => new { },
            "both" => new { until = now.AddHours(1), preset = "nextMorning" },
            _ => new { preset = "lunch" },
        };

        await (await admin.PostAsJsonAsync($"/api/conversations/{id}/snooze", body)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("open", (await StatusAsync(id)).Status);
        Assert.Equal(1, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_resolved_conversation_is_409_an_unknown_one_404_and_a_body_that_is_not_a_date_400()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var id = (await fixture.IngestAsync(channel, "r-1", "cust", "hello")).Id("conversationId");
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PostAsJsonAsync($"/api/conversations/{id}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        var until = fixture.Clock.GetUtcNow().AddHours(1);

        await (await admin.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { until })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostAsJsonAsync($"/api/conversations/{id + 1000}/snooze", new { until })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { until = "tomorrow-ish" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("resolved", (await StatusAsync(id)).Status);
    }

    [Fact]
    public async Task A_second_manager_gets_404_and_no_push_while_the_owner_snoozes()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("own1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("own2", "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, "o-1", "cust", "hello")).Id("conversationId");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        (await http1.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        await using var hub2 = await fixture.ConnectHubAsync(m2.Token);
        var events2 = new HubRecorder(hub2);
        await using var hub1 = await fixture.ConnectHubAsync(m1.Token);
        var events1 = new HubRecorder(hub1);
        var until = fixture.Clock.GetUtcNow().AddHours(1);

        await (await http2.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { until })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("open", (await StatusAsync(id)).Status);
        (await http1.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { until })).EnsureSuccessStatusCode();
        await events1.WaitForAsync("conversationUpdated", c => c["status"]!.GetValue<string>() == "snoozed");

        Assert.Empty(await ItemsAsync(http2, "status=snoozed"));
        Assert.DoesNotContain(events2.All, e => e.Event is "conversationUpdated" or "messageCreated");
    }

    [Fact]
    public async Task It_wakes_at_its_time_by_its_job_and_pushes_it_and_an_early_or_stale_job_is_a_no_op()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("waker", "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, "w-1", "cust", "hello")).Id("conversationId");
        using var http = fixture.App.Http(manager.Token);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var events = new HubRecorder(hub);
        var clock = fixture.Clock;

        (await http.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { until = clock.GetUtcNow().AddMinutes(5) })).EnsureSuccessStatusCode();
        await using (var db = fixture.Db())
        {
            Assert.True(await db.ExecuteScalarAsync<bool>(
                "select exists(select 1 from hangfire.job where statename = 'Scheduled' and invocationdata::text like '%WakeAsync%')"), "no delayed wake-up job");
        }
        Assert.Equal(0, await Snoozes.WakeAsync(id, CancellationToken.None)); // not due yet
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await Snoozes.WakeAsync(id, CancellationToken.None));

        Assert.Equal(("open", false), await StatusAsync(id));
        await events.WaitForAsync("conversationUpdated", c => c.Id() == id && c["status"]!.GetValue<string>() == "open");
        await events.WaitForAsync("messageCreated", m => m["text"]?.GetValue<string>() == "Snooze ended: the time came.");
        Assert.Equal(id, Assert.Single(await ItemsAsync(http, "status=open")).Id());

        // A re-snooze moves the time: the first job finds nothing due. A manual reopen ends it: its job is a no-op too.
        (await http.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { until = clock.GetUtcNow().AddMinutes(5) })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { until = clock.GetUtcNow().AddMinutes(15) })).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, await Snoozes.WakeAsync(id, CancellationToken.None));
        Assert.Equal("snoozed", (await StatusAsync(id)).Status);
        (await http.PostAsJsonAsync($"/api/conversations/{id}/status", new { status = "open" })).EnsureSuccessStatusCode();
        Assert.Equal(("open", false), await StatusAsync(id));
        var ended = await events.WaitForAsync("messageCreated", m => m["metadata"]?["reason"]?.GetValue<string>() == "manual");
        Assert.Equal("unsnoozed", ended["metadata"]!["notice"]!.GetValue<string>());
        Assert.Equal("open", ended["metadata"]!["status"]!.GetValue<string>());
        Assert.Equal("waker", ended["metadata"]!["byName"]!.GetValue<string>());
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await Snoozes.WakeAsync(id, CancellationToken.None));
        Assert.Equal(0, await Snoozes.SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_minute_sweep_wakes_every_due_conversation_whatever_happened_to_its_job()
    {
        var channel = await fixture.CreateApiChannelAsync();
        using var admin = fixture.App.Http(fixture.AdminToken);
        var clock = fixture.Clock;
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await fixture.IngestAsync(channel, $"sw-{i}", $"cust{i}", "hello")).Id("conversationId"));
            (await admin.PostAsJsonAsync($"/api/conversations/{ids[i]}/snooze", new { until = clock.GetUtcNow().AddMinutes(1 + (i * 2) + (i == 2 ? 20 : 0)) })).EnsureSuccessStatusCode();
        }
        clock.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(2, await Snoozes.SweepAsync(CancellationToken.None));

        Assert.Equal("open", (await StatusAsync(ids[0])).Status);
        Assert.Equal("open", (await StatusAsync(ids[1])).Status);
        Assert.Equal("snoozed", (await StatusAsync(ids[2])).Status);
    }

    [Fact]
    public async Task The_customer_writing_wakes_a_snoozed_or_pending_conversation_with_the_message_and_pushes_it()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("inbound", "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, "i-1", "cust", "hello")).Id("conversationId");
        var other = (await fixture.IngestAsync(channel, "i-2", "cust2", "hi")).Id("conversationId");
        using var http = fixture.App.Http(manager.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { until = fixture.Clock.GetUtcNow().AddDays(2) })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/conversations/{other}/status", new { status = "pending" })).EnsureSuccessStatusCode();
        Assert.Equal(other, Assert.Single(await ItemsAsync(http, "status=pending")).Id());
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var events = new HubRecorder(hub);

        await fixture.IngestAsync(channel, "i-3", "cust", "are you there?");
        await fixture.IngestAsync(channel, "i-4", "cust2", "and now?");

        Assert.Equal(("open", false), await StatusAsync(id));
        Assert.Equal("open", (await StatusAsync(other)).Status);
        await events.WaitForAsync("conversationUpdated", c => c.Id() == id && c["status"]!.GetValue<string>() == "open");
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>(
            "select count(*) from messages where conversation_id = @id and direction = 'note' and metadata->>'notice' = 'unsnoozed'", new { id }));
        Assert.Equal(2, (await ItemsAsync(http, "status=open")).Count);
    }

    [Fact]
    public async Task Next_morning_is_the_channels_next_opening_or_nine_tomorrow_without_business_hours()
    {
        var plain = await fixture.CreateApiChannelAsync(name: "Plain");
        var withHours = await fixture.CreateApiChannelAsync(name: "Hours");
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("""
                update channels set settings = settings || '{"businessHours": {"timeZone": "UTC", "week": {"mon": [["08:30","17:00"]], "tue": [["08:30","17:00"]], "wed": [["08:30","17:00"]], "thu": [["08:30","17:00"]], "fri": [["08:30","17:00"]], "sat": [["08:30","17:00"]], "sun": [["08:30","17:00"]]}}}'::jsonb
                where id = @id
                """, new { id = withHours.Id });
        }
        var a = (await fixture.IngestAsync(plain, "n-1", "cust", "hello")).Id("conversationId");
        var b = (await fixture.IngestAsync(withHours, "n-2", "cust", "hello")).Id("conversationId");
        using var admin = fixture.App.Http(fixture.AdminToken);
        var now = fixture.Clock.GetUtcNow();

        var first = await (await admin.PostAsJsonAsync($"/api/conversations/{a}/snooze", new { preset = "nextMorning" })).OkJsonAsync();
        var second = await (await admin.PostAsJsonAsync($"/api/conversations/{b}/snooze", new { preset = "nextMorning" })).OkJsonAsync();

        Assert.Equal(new DateTimeOffset(now.UtcDateTime.Date.AddDays(1).AddHours(9), TimeSpan.Zero), first["snoozedUntil"]!.GetValue<DateTimeOffset>());
        var opening = new DateTimeOffset(now.UtcDateTime.Date.AddHours(8.5), TimeSpan.Zero);
        Assert.Equal(opening > now ? opening : opening.AddDays(1), second["snoozedUntil"]!.GetValue<DateTimeOffset>());
    }

    private async Task<(string Status, bool HasUntil)> StatusAsync(long id)
    {
        await using var db = fixture.Db();
        return await db.QuerySingleAsync<(string, bool)>("select status, snoozed_until is not null from conversations where id = @id", new { id });
    }

    internal static async Task<List<JsonObject>> ItemsAsync(HttpClient http, string query)
    {
        var page = await (await http.GetAsync($"/api/conversations?{query}")).OkJsonAsync();
        return page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }
}
