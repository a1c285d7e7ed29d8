using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Stats;

public sealed record FunnelStage(long StageId, string Name, string Semantic, long Entered, decimal Amount, double? ConversionToNext);

public sealed record FunnelOutcome(long Count, decimal Amount);

public sealed record FunnelLossReason(long? Id, string Name, long Count, decimal Amount);

public sealed record Funnel(long PipelineId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<FunnelStage> Stages,
    FunnelOutcome Won, FunnelOutcome Lost, IReadOnlyList<FunnelLossReason> LossReasons);

/// <summary>
/// Per stage of a pipeline: how many deals entered it in the period (from the stage history), their amounts, and
/// the share that went on to enter the next stage; won and lost deals closed in the period, and why they were lost.
/// </summary>
public sealed class FunnelQuery(NpgsqlDataSource db)
{
    private sealed class StageRow
    {
        public long StageId { get; init; }
        public string Name { get; init; } = "";
        public string Semantic { get; init; } = "";
        public int Sort { get; init; }
        public long Entered { get; init; }
        public decimal Amount { get; init; }
    }

    public async Task<Funnel?> ReadAsync(long pipelineId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        const string sql = """
            select exists(select 1 from pipelines where id = @pipelineId);
            select s.id as stage_id, s.name, s.semantic, s.sort,
                   count(distinct h.deal_id) as entered, coalesce(sum(d.amount), 0) as amount
            from stages s
            left join deal_stage_history h on h.stage_id = s.id and h.entered_at >= @from and h.entered_at < @to
            left join deals d on d.id = h.deal_id
            where s.pipeline_id = @pipelineId
            group by s.id, s.name, s.semantic, s.sort
            order by s.sort, s.id;
            select d.outcome, count(*) as count, coalesce(sum(d.amount), 0) as amount
            from deals d where d.pipeline_id = @pipelineId and d.closed_at >= @from and d.closed_at < @to and d.outcome is not null
            group by d.outcome;
            select r.id, coalesce(r.name, s.name, 'No reason') as name, count(*) as count, coalesce(sum(d.amount), 0) as amount
            from deals d left join loss_reasons r on r.id = d.loss_reason_id left join stages s on s.id = d.stage_id and s.semantic = 'lost'
            where d.pipeline_id = @pipelineId and d.closed_at >= @from and d.closed_at < @to and d.outcome = 'lost'
            group by r.id, coalesce(r.name, s.name, 'No reason')
            order by count(*) desc, name;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { pipelineId, from = from.UtcDateTime, to = to.UtcDateTime }, cancellationToken: ct));
        if (!await grid.ReadSingleAsync<bool>())
        {
            return null;
        }
        var stages = (await grid.ReadAsync<StageRow>()).ToList();
        var outcomes = (await grid.ReadAsync<(string Outcome, long Count, decimal Amount)>()).ToDictionary(o => o.Outcome);
        var reasons = (await grid.ReadAsync<(long? Id, string Name, long Count, decimal Amount)>()).Select(r => new FunnelLossReason(r.Id, r.Name, r.Count, r.Amount)).ToList();
        // The path of a sale: open stages in order, then won. Lost stages are exits, not steps.
        var path = stages.Where(s => s.Semantic != "lost").ToList();
        var result = stages.Select(s =>
        {
            var index = path.IndexOf(s);
            double? conversion = index >= 0 && index + 1 < path.Count && s.Entered > 0 ? (double)path[index + 1].Entered / s.Entered : null;
            return new FunnelStage(s.StageId, s.Name, s.Semantic, s.Entered, s.Amount, conversion);
        }).ToList();
        FunnelOutcome Outcome(string name) => outcomes.TryGetValue(name, out var o) ? new FunnelOutcome(o.Count, o.Amount) : new FunnelOutcome(0, 0);
        return new Funnel(pipelineId, from, to, result, Outcome("won"), Outcome("lost"), reasons);
    }
}
