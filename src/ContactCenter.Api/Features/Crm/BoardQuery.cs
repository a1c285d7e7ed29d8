using ContactCenter.Api.Auth;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// One column. TotalAmount adds the amounts as stored whatever their currency (kept for older clients); show
/// TotalAmountByCurrency, one sum per currency (most deals first).
/// </summary>
public sealed record BoardStage(long StageId, string Name, string Semantic, int Order, long Count, decimal TotalAmount, IReadOnlyList<DealCard> Deals, string? NextCursor,
    IReadOnlyList<CurrencyAmount> TotalAmountByCurrency);

public sealed record Board(long PipelineId, string Name, IReadOnlyList<BoardStage> Stages);

/// <summary>
/// The kanban: per stage the count and the total amount per currency (from the per-stage aggregate for staff, counted over the board index for a manager) and the first cards
/// (newest first, a lateral keyset read per stage). More cards of a stage: GET /api/deals?stageId=&amp;cursor=nextCursor.
/// </summary>
public sealed class BoardQuery(NpgsqlDataSource db)
{
    // Staff see every deal: the per-stage count and sum are read from deal_stage_totals (kept with the deals by triggers,
    // migration 1118), a handful of rows whatever the number of deals. A manager's board counts the deals they may see.
    private const string Totals = """
        select t.stage_id, t.currency, sum(t.deals)::bigint as count, sum(t.amount) as total from deal_stage_totals t
        where t.pipeline_id = @pipelineId and (@assigneeId::bigint is null or t.assignee_key = @assigneeId)
        group by t.stage_id, t.currency having sum(t.deals) <> 0
        """;

    private const string Counted = $"""
        select d.stage_id, d.currency, count(*) as count, sum(d.amount) as total from deals d where {Filter} group by d.stage_id, d.currency
        """;

    private const string Filter = $"d.pipeline_id = @pipelineId and (@assigneeId::bigint is null or d.assignee_id = @assigneeId) and {CrmAccess.DealVisible}";

    private sealed record StageHead(long StageId, string Name, string Semantic, int Sort);

    private sealed record CurrencyAgg(long StageId, string Currency, long Count, decimal Total);

    public async Task<Board?> GetAsync(CurrentUser me, long pipelineId, long? assigneeId, int cardsPerStage, CancellationToken ct)
    {
        var sql = $"""
            {Database.DatabaseExtensions.GenericPlan}
            select name from pipelines where id = @pipelineId;
            select st.id as stage_id, st.name, st.semantic, st.sort from stages st where st.pipeline_id = @pipelineId order by st.sort, st.id;
            select a.stage_id, a.currency, a.count, a.total from ({(me.IsStaff ? Totals : Counted)}) a order by a.stage_id, a.count desc, a.currency;
            select {DealQueries.Columns}
            from stages st
            cross join lateral (select d.* from deals d where d.stage_id = st.id and {Filter} order by d.id desc limit @take) d
            {DealQueries.Joins}
            where st.pipeline_id = @pipelineId
            order by d.id desc;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        // One snapshot for the stages, their sums and their cards: a deal moved or added between the statements was
        // counted in one column and shown in another (or counted and missing).
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { pipelineId, assigneeId, me = me.Id, staff = me.IsStaff, take = cardsPerStage + 1 }, tx, cancellationToken: ct));
        var name = await grid.ReadSingleOrDefaultAsync<string>();
        if (name is null)
        {
            return null;
        }
        var stages = (await grid.ReadAsync<StageHead>()).ToList();
        var sums = (await grid.ReadAsync<CurrencyAgg>()).ToLookup(a => a.StageId);
        var cards = (await grid.ReadAsync<DealQueries.Row>()).ToLookup(r => r.StageId);
        return new Board(pipelineId, name, stages.Select(s =>
        {
            var page = DealQueries.ToPage(cards[s.StageId].ToList(), cardsPerStage, r => r.ToCard(), r => r.Id);
            var stageSums = sums[s.StageId].ToList();
            return new BoardStage(s.StageId, s.Name, s.Semantic, s.Sort, stageSums.Sum(a => a.Count), stageSums.Sum(a => a.Total), page.Items, page.NextCursor,
                stageSums.Select(a => new CurrencyAmount(a.Currency, a.Total)).ToList());
        }).ToList());
    }
}
