using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Hours;

/// <param name="Asked">Surveys asked in the period.</param>
/// <param name="Count">Of those, answered.</param>
/// <param name="Distribution">How many ratings of 1, 2, 3, 4 and 5 (index 0 is 1).</param>
/// <param name="ResponseRate">Count / Asked (0-1), null when none was asked.</param>
public sealed record CsatFigure(long Asked, long Count, double? Average, long[] Distribution, double? ResponseRate);

public sealed record CsatManagerRow(long? UserId, string Name, CsatFigure Csat);

public sealed record CsatChannelRow(long ChannelId, string Name, CsatFigure Csat);

public sealed record CsatReport(DateTimeOffset From, DateTimeOffset To, CsatFigure Overall, IReadOnlyList<CsatManagerRow> ByManager, IReadOnlyList<CsatChannelRow> ByChannel);

/// <summary>`GET /api/stats/csat?from=&amp;to=` (supervisors and admins): surveys asked in [from, to), per manager (the assignee at resolution) and per channel.</summary>
public static class CsatStatsApi
{
    public static IEndpointRouteBuilder MapCsatStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats/csat", GetAsync).RequireAuthorization(Roles.StaffPolicy);
        return app;
    }

    private sealed class Row
    {
        public long? UserId { get; init; }
        public long? ChannelId { get; init; }
        public int GroupUser { get; init; }
        public int GroupChannel { get; init; }
        public string? Name { get; init; }
        public long Asked { get; init; }
        public long Count { get; init; }
        public double? Average { get; init; }
        public long R1 { get; init; }
        public long R2 { get; init; }
        public long R3 { get; init; }
        public long R4 { get; init; }
        public long R5 { get; init; }
    }

    private const string Sql = """
        select s.assignee_id as user_id, s.channel_id, grouping(s.assignee_id) as group_user, grouping(s.channel_id) as group_channel,
               case when grouping(s.assignee_id) = 0 then (select name from users where id = s.assignee_id)
                    when grouping(s.channel_id) = 0 then (select name from channels where id = s.channel_id) end as name,
               count(*) as asked, count(s.rating) as count, avg(s.rating)::float8 as average,
               count(*) filter (where s.rating = 1) as r1, count(*) filter (where s.rating = 2) as r2, count(*) filter (where s.rating = 3) as r3,
               count(*) filter (where s.rating = 4) as r4, count(*) filter (where s.rating = 5) as r5
        from csat_surveys s
        where s.asked_at >= @from and s.asked_at < @to
        group by grouping sets ((), (s.assignee_id), (s.channel_id))
        """;

    private static async Task<Results<Ok<CsatReport>, ValidationProblem>> GetAsync(
        DateTimeOffset? from, DateTimeOffset? to, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var end = to ?? clock.GetUtcNow();
        var start = from ?? (end.UtcDateTime > DateTime.MinValue.AddDays(30) ? end.AddDays(-30) : DateTimeOffset.MinValue);
        if (start >= end || end - start > TimeSpan.FromDays(3660))
        {
            var v = new Validation();
            v.Add("from", "from must be before to, and the period at most ten years.");
            return v.ToResult();
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(Sql, new { from = start.UtcDateTime, to = end.UtcDateTime }, cancellationToken: ct))).ToList();
        var overall = rows.FirstOrDefault(r => r.GroupUser == 1 && r.GroupChannel == 1);
        return TypedResults.Ok(new CsatReport(start, end,
            overall is null ? new CsatFigure(0, 0, null, [0, 0, 0, 0, 0], null) : Figure(overall),
            rows.Where(r => r.GroupUser == 0).OrderBy(r => r.Name).Select(r => new CsatManagerRow(r.UserId, r.Name ?? "", Figure(r))).ToList(),
            rows.Where(r => r.GroupChannel == 0 && r.ChannelId is not null).OrderBy(r => r.Name).Select(r => new CsatChannelRow(r.ChannelId!.Value, r.Name ?? "", Figure(r))).ToList()));
    }

    private static CsatFigure Figure(Row r) => new(r.Asked, r.Count, r.Average is { } a ? Math.Round(a, 2) : null, [r.R1, r.R2, r.R3, r.R4, r.R5],
        r.Asked == 0 ? null : Math.Round((double)r.Count / r.Asked, 3));
}
