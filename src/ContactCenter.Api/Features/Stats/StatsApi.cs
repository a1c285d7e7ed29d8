using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Routing;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Stats;

public sealed record Figure(long Count, double? Median, double? P90, double? BusinessMedian, double? BusinessP90, double? WithinTargetShare);

public sealed record ResponseStats(long Conversations, Figure FirstResponse, Figure Reply, Figure Resolution);

public sealed record UserStats(long UserId, string Name, long Conversations, Figure FirstResponse, Figure Reply, Figure Resolution);

public sealed record ChannelStats(long ChannelId, string Name, long Conversations, Figure FirstResponse, Figure Reply, Figure Resolution);

public sealed record ResponseTimesReport(DateTimeOffset From, DateTimeOffset To, ResponseStats Overall, IReadOnlyList<UserStats> ByUser, IReadOnlyList<ChannelStats> ByChannel);

public sealed record PresenceRequest(string? Status);

public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/stats").RequireAuthorization(Roles.StaffPolicy);
        group.MapGet("/response-times", ResponseTimesAsync);
        group.MapGet("/queue", async (QueueFeed queue, CancellationToken ct) => TypedResults.Ok(await queue.ReadAsync(ct)));
        group.MapGet("/funnel", FunnelAsync);
        app.MapPost("/api/presence", SetPresence).RequireAuthorization();
        return app;
    }

    private sealed class Row
    {
        public long? UserId { get; init; }
        public long? ChannelId { get; init; }
        public string? Kind { get; init; }
        public int GroupUser { get; init; }
        public int GroupChannel { get; init; }
        public int GroupKind { get; init; }
        public long N { get; init; }
        public long Conversations { get; init; }
        public double? Median { get; init; }
        public double? P90 { get; init; }
        public double? BMedian { get; init; }
        public double? BP90 { get; init; }
        public double? Within { get; init; }
    }

    // One pass over the events of the period, grouped overall / per user / per channel, percentiles in SQL.
    private const string Sql = """
        select e.user_id, e.channel_id, e.kind,
               grouping(e.user_id) as group_user, grouping(e.channel_id) as group_channel, grouping(e.kind) as group_kind,
               count(*) as n, count(distinct e.conversation_id) as conversations,
               percentile_cont(0.5) within group (order by e.seconds) as median,
               percentile_cont(0.9) within group (order by e.seconds) as p90,
               percentile_cont(0.5) within group (order by e.business_seconds) as b_median,
               percentile_cont(0.9) within group (order by e.business_seconds) as b_p90,
               avg(case when e.within_target then 1.0 when not e.within_target then 0.0 end)::double precision as within
        from response_events e
        where e.at >= @from and e.at < @to and (@channelId::bigint is null or e.channel_id = @channelId)
        group by grouping sets ((), (e.kind), (e.user_id), (e.user_id, e.kind), (e.channel_id), (e.channel_id, e.kind))
        """;

    private static async Task<Results<Ok<ResponseTimesReport>, ValidationProblem>> ResponseTimesAsync(
        DateTimeOffset? from, DateTimeOffset? to, long? channelId, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? DefaultStart(end);
        if (start >= end || end - start > TimeSpan.FromDays(3700))
        {
            var v = new Validation();
            v.Add("from", "from must be before to, and the period at most ten years.");
            return v.ToResult();
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(Sql, new { from = start.UtcDateTime, to = end.UtcDateTime, channelId }, cancellationToken: ct))).ToList();
        var names = (await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition("select id, name from users", cancellationToken: ct))).ToDictionary(u => u.Id, u => u.Name);
        var channels = (await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition("select id, name from channels", cancellationToken: ct))).ToDictionary(c => c.Id, c => c.Name);

        ResponseStats Stats(IEnumerable<Row> group)
        {
            var list = group.ToList();
            Figure F(string kind) => list.FirstOrDefault(r => r.GroupKind == 0 && r.Kind == kind) is { } r
                ? new Figure(r.N, r.Median, r.P90, r.BMedian, r.BP90, r.Within) : new Figure(0, null, null, null, null, null);
            return new ResponseStats(list.FirstOrDefault(r => r.GroupKind == 1)?.Conversations ?? 0, F("first_response"), F("reply"), F("resolution"));
        }

        var overall = Stats(rows.Where(r => r.GroupUser == 1 && r.GroupChannel == 1));
        var byUser = rows.Where(r => r.GroupUser == 0 && r.UserId is not null).GroupBy(r => r.UserId!.Value)
            .Select(g => { var s = Stats(g); return new UserStats(g.Key, names.GetValueOrDefault(g.Key, ""), s.Conversations, s.FirstResponse, s.Reply, s.Resolution); })
            .OrderBy(u => u.Name).ToList();
        var byChannel = rows.Where(r => r.GroupChannel == 0 && r.ChannelId is not null).GroupBy(r => r.ChannelId!.Value)
            .Select(g => { var s = Stats(g); return new ChannelStats(g.Key, channels.GetValueOrDefault(g.Key, ""), s.Conversations, s.FirstResponse, s.Reply, s.Resolution); })
            .OrderBy(c => c.Name).ToList();
        return TypedResults.Ok(new ResponseTimesReport(start, end, overall, byUser, byChannel));
    }

    private static async Task<Results<Ok<Funnel>, ProblemHttpResult, ValidationProblem>> FunnelAsync(
        long? pipelineId, DateTimeOffset? from, DateTimeOffset? to, FunnelQuery funnel, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? DefaultStart(end);
        if (start >= end)
        {
            var v = new Validation();
            v.Add("from", "from must be before to.");
            return v.ToResult();
        }
        long id;
        if (pipelineId is { } given)
        {
            id = given;
        }
        else
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("select id from pipelines where is_default", cancellationToken: ct));
        }
        return await funnel.ReadAsync(id, start, end, new FunnelFilter(), ct) is { } result ? TypedResults.Ok(result) : Problems.NotFound("There is no such pipeline.");
    }

    /// <summary>A manager sets themselves away (no new conversations routed to them) or back online.</summary>
    private static async Task<Results<NoContent, ValidationProblem>> SetPresence(PresenceRequest request, ClaimsPrincipal principal,
        PresenceTracker presence, Router router, QueueFeed queue, CancellationToken ct)
    {
        if (request.Status is not ("online" or "away"))
        {
            var v = new Validation();
            v.Add("status", "Status must be online or away.");
            return v.ToResult();
        }
        var me = CurrentUser.From(principal);
        await presence.SetAwayAsync(me.Id, request.Status == "away");
        if (request.Status == "online")
        {
            await router.DrainForUserAsync(me.Id, ct);
        }
        await queue.PushAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Thirty days before `to`; a `to` in the first thirty days of year 1 starts at the earliest instant instead of a 500.</summary>
    private static DateTimeOffset DefaultStart(DateTimeOffset end) =>
        end - DateTimeOffset.MinValue > TimeSpan.FromDays(30) ? end.AddDays(-30) : DateTimeOffset.MinValue;
}
