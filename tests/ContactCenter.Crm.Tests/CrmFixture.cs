using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Crm.Tests;

/// <summary>
/// The app over its own database with a fake clock that each test starts afresh at the real time (so tokens issued
/// before the clock is moved stay valid). The CRM scheduler polls every 100 ms of real time and reads the fake clock.
/// </summary>
public sealed class CrmFixture : AppFixture
{
    public TestClock Clock { get; } = new();

    public FakeTimeProvider Time => Clock.Fake;

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Crm:PollInterval"] = "00:00:00.100";
        settings["Crm:RetryBaseDelay"] = "00:01:00";
        settings["Crm:RetryMaxDelay"] = "00:10:00";
        settings["Crm:MaxAttempts"] = "3";
        return settings;
    }

    /// <summary>A reply guard the tests can point at a conversation (as an opted-out SMS number would refuse its replies).</summary>
    public TestReplyGuard Guard { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IReplyGuard>(Guard);
    }

    public async Task ResetCrmAsync()
    {
        Clock.Fake = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await ExecuteResetAsync("""
                truncate table automation_action_runs, automation_jobs, automation_rules, deal_stage_history, timeline_entries, activities restart identity cascade;
                truncate table conversations, deals, leads, stages, pipelines, loss_reasons restart identity cascade;
                with p as (insert into pipelines (name, is_default) values ('Sales', true) returning id)
                insert into stages (pipeline_id, name, sort, semantic)
                select p.id, s.name, s.sort, s.semantic
                from p, (values ('New', 1, 'open'), ('Qualification', 2, 'open'), ('Proposal', 3, 'open'),
                                ('Negotiation', 4, 'open'), ('Won', 5, 'won'), ('Lost', 6, 'lost')) as s(name, sort, semantic);
                insert into loss_reasons (name) values ('Too expensive'), ('Chose a competitor'), ('No response'), ('Not a fit');
                """);
        await ResetAsync();
    }

    public HttpClient Admin() => App.Http(AdminToken);

    /// <summary>
    /// A liveness marker instead of a sleep before asserting that something did NOT happen: two whole rounds of the CRM
    /// scheduler have ended after the call (so one round saw the state and the clock as they are now), then a round trip
    /// on each hub connection given, which arrives after anything those rounds pushed to it.
    /// </summary>
    public async Task SchedulerRoundsAsync(params HubConnection[] hubs)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await App.Services.GetRequiredService<ContactCenter.Api.Features.Crm.Automation.CrmScheduler>().RoundsAsync(2, timeout.Token);
        foreach (var hub in hubs)
        {
            await hub.InvokeAsync("Ready", timeout.Token);
        }
    }

    public async Task<long> StageIdAsync(string name, long pipelineId = 1)
    {
        await using var db = Db();
        return await db.ExecuteScalarAsync<long>("select id from stages where pipeline_id = @pipelineId and name = @name", new { pipelineId, name });
    }

    public async Task<HubConnection> HubAsync(string token, EventLog log)
    {
        // Handlers first: nothing pushed between the start and the return of the connection is missed.
        return await ConnectHubAsync(token, configure: log.Attach);
    }
}

/// <summary>A TimeProvider whose FakeTimeProvider each test replaces (FakeTimeProvider itself cannot go back).</summary>
public sealed class TestClock : TimeProvider
{
    public FakeTimeProvider Fake { get; set; } = new(DateTimeOffset.UtcNow);

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => Fake.CreateTimer(callback, state, dueTime, period);
}

/// <summary>Every hub event by name, including the CRM's; `countersChanged` as the counters it leads to (<see cref="CountersFold"/>).</summary>
public sealed class EventLog
{
    private static readonly string[] Names =
        ["messageCreated", "conversationUpdated", "countersChanged", "activityDue", "dealUpdated", "leadUpdated", "dealRemoved", "leadRemoved", "notification"];

    private readonly List<(string Event, JsonObject Payload, DateTime At)> events = [];
    private readonly SemaphoreSlim signal = new(0);
    private CountersFold? counters;

    public void Attach(HubConnection hub)
    {
        var fold = counters = new CountersFold(hub);
        hub.On<JsonElement>("countersChanged", async payload =>
        {
            if (await fold.ApplyAsync(JsonNode.Parse(payload.GetRawText())!.AsObject()) is { } value)
            {
                lock (events)
                {
                    events.Add(("countersChanged", value.DeepClone().AsObject(), DateTime.UtcNow));
                }
                signal.Release();
            }
        });
        foreach (var name in Names.Where(n => n != "countersChanged"))
        {
            hub.On<JsonElement>(name, payload =>
            {
                lock (events)
                {
                    events.Add((name, JsonNode.Parse(payload.GetRawText())!.AsObject(), DateTime.UtcNow));
                }
                signal.Release();
            });
        }
    }

    public List<JsonObject> Of(string name)
    {
        lock (events)
        {
            return events.Where(e => e.Event == name).Select(e => e.Payload).ToList();
        }
    }

    public void Clear()
    {
        lock (events)
        {
            events.Clear();
        }
    }

    public async Task<JsonObject> WaitForAsync(string name, Func<JsonObject, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Of(name).FirstOrDefault(p => match?.Invoke(p) ?? true) is { } found)
            {
                return found;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No matching '{name}' event arrived. Got: {string.Join(", ", Of(name).Select(p => p.ToJsonString()))}"
                    + (counters?.Gaps > 0 ? $"; {counters.Gaps} countersChanged steps continued a version this log did not hold" : ""));
            }
            await signal.WaitAsync(left);
        }
    }
}

/// <summary>
/// One app and database for every CRM test class: starting an app is most of a test's cost, and each test
/// resets the data (ResetCrmAsync) anyway. The classes therefore run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CrmCollection : ICollectionFixture<CrmFixture>
{
    public const string Name = "crm";
}

/// <summary>Refuses public replies in the conversations <see cref="Refuse"/> names (null: let it go); lets everything go by default.</summary>
public sealed class TestReplyGuard : IReplyGuard
{
    public Func<long, string?> Refuse { get; set; } = _ => null;

    public Task<ConversationService.Refusal?> CheckAsync(
        long conversationId, ConversationService.ReplyParts parts, CancellationToken ct) =>
        Task.FromResult(Refuse(conversationId) is { } reason ? new ConversationService.Refusal(reason) : null);
}
