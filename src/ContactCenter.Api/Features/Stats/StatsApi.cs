using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Routing;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Stats;

/// <summary>
/// One response-time figure. Count, averages and the within-target share are exact; the percentiles of a period with a
/// whole UTC day come from log histograms and are within 2.5 % of the exact value (exact for shorter periods).
/// </summary>
public sealed record Figure(long Count, double? Median, double? P90, double? BusinessMedian, double? BusinessP90, double? WithinTargetShare,
    double? Average = null, double? BusinessAverage = null);

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
        // The JSON is made once per shared read (QueueFeed.ReadSharedJsonAsync); the document describes it as before. Not behind
        // a read gate: concurrent requests share one read, and a gate letting in four at a time made four times as many reads
        // (p50 18 -> 69 ms in the benchmark).
        group.MapGet("/queue", async (QueueFeed queue, CancellationToken ct) =>
                TypedResults.Bytes(await queue.ReadSharedJsonAsync(ct), "application/json; charset=utf-8"))
            .Produces<QueueStats>(StatusCodes.Status200OK, "application/json");
        group.MapGet("/funnel", FunnelAsync);
        app.MapPost("/api/presence", SetPresence).RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<ResponseTimesReport>, ValidationProblem>> ResponseTimesAsync(
        DateTimeOffset? from, DateTimeOffset? to, long? channelId, ResponseTimesQuery query, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (ReportPeriod.Parse(from, to, clock.GetUtcNow(), v) is not { } period)
        {
            return v.ToResult();
        }
        var (start, end) = (period.From, period.To);
        var stats = await query.ReadAsync(start, end, channelId, ct);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var read = await connection.QueryMultipleAsync(new CommandDefinition("select id, name from users; select id, name from channels", cancellationToken: ct));
        var names = (await read.ReadAsync<(long Id, string Name)>()).ToDictionary(u => u.Id, u => u.Name);
        var channels = (await read.ReadAsync<(long Id, string Name)>()).ToDictionary(c => c.Id, c => c.Name);

        // Series keys: (filter or 0, 0) everything, (filter or 0, user) one user, (channel, 0) one channel.
        var filter = channelId ?? 0;
        var empty = new Figure(0, null, null, null, null, null);
        var overall = stats.Series.GetValueOrDefault((filter, 0)) ?? new ResponseStats(0, empty, empty, empty);
        var byUser = stats.Series.Where(s => s.Key.Channel == filter && s.Key.User > 0 && HasEvents(s.Value))
            .Select(s => new UserStats(s.Key.User, names.GetValueOrDefault(s.Key.User, ""), s.Value.Conversations, s.Value.FirstResponse, s.Value.Reply, s.Value.Resolution))
            .OrderBy(u => u.Name).ToList();
        var byChannel = stats.Series.Where(s => s.Key.User == 0 && s.Key.Channel != 0 && HasEvents(s.Value))
            .Select(s => new ChannelStats(s.Key.Channel, channels.GetValueOrDefault(s.Key.Channel, ""), s.Value.Conversations, s.Value.FirstResponse, s.Value.Reply, s.Value.Resolution))
            .OrderBy(c => c.Name).ToList();
        return TypedResults.Ok(new ResponseTimesReport(start, end, overall, byUser, byChannel));
    }

    private static async Task<Results<Ok<Funnel>, ProblemHttpResult, ValidationProblem>> FunnelAsync(
        long? pipelineId, DateTimeOffset? from, DateTimeOffset? to, FunnelQuery funnel, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (ReportPeriod.Parse(from, to, clock.GetUtcNow(), v) is not { } period)
        {
            return v.ToResult();
        }
        var (start, end) = (period.From, period.To);
        var id = await funnel.PipelineOrDefaultAsync(pipelineId, ct);
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

    private static bool HasEvents(ResponseStats s) => s.FirstResponse.Count + s.Reply.Count + s.Resolution.Count > 0;
}
