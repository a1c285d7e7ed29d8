using ContactCenter.Api.Features.Crm.Automation;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <param name="Currency">null: the installation's (<see cref="CrmSettingsService.CurrencySql"/>).</param>
public sealed record NewDeal(long PipelineId, long StageId, string Title, decimal Amount, string? Currency, long? ContactId, long? AssigneeId, string? Source)
{
    public long? LeadId { get; init; }
    public long? ParentDealId { get; init; }
    public long? TunnelRuleId { get; init; }
    public string? TunnelSource { get; init; }
}

/// <summary>A deal row locked for a change.</summary>
public sealed record DealState(long Id, long PipelineId, long StageId, string Title, long? AssigneeId, long? ContactId, DateTimeOffset? ClosedAt, string? Outcome);

/// <summary>
/// The deal changes shared by REST, lead conversion, the inbound pipeline and automation. Each runs inside the
/// caller's transaction, writes the stage history and the timeline, raises the automation events, and notes in
/// <see cref="CrmChanges"/> what to push after commit.
/// </summary>
public static class DealWrites
{
    private sealed record InsertedDeal(long Id, string Currency);

    /// <summary>Inserts the deal; null when it is a tunnel that already exists (same rule and source).</summary>
    public static async Task<long?> InsertAsync(CrmWrite w, NewDeal d, CancellationToken ct, int depth = 0, long[]? chain = null)
    {
        const string sql = $"""
            with d as (
                insert into deals (contact_id, pipeline_id, stage_id, title, amount, currency, assignee_id, source, lead_id, parent_deal_id,
                                   tunnel_rule_id, tunnel_source, stage_entered_at, created_at, updated_at)
                values (@ContactId, @PipelineId, @StageId, @Title, @Amount, coalesce(@Currency, {CrmSettingsService.CurrencySql}), @AssigneeId, @Source, @LeadId, @ParentDealId,
                        @TunnelRuleId, @TunnelSource, @now, @now, @now)
                on conflict (tunnel_rule_id, tunnel_source) where tunnel_rule_id is not null do nothing
                returning id, currency
            ), h as (
                insert into deal_stage_history (deal_id, stage_id, entered_at, actor_type, actor_id)
                select id, @StageId, @now, @actorType, @actorId from d
            )
            select id, currency from d
            """;
        var inserted = await w.Connection.QuerySingleOrDefaultAsync<InsertedDeal>(new CommandDefinition(sql, new
        {
            d.ContactId, d.PipelineId, d.StageId, d.Title, d.Amount, d.Currency, d.AssigneeId, d.Source, d.LeadId, d.ParentDealId,
            d.TunnelRuleId, d.TunnelSource, now = w.Now.UtcDateTime, actorType = w.Actor.Type, actorId = w.Actor.Id,
        }, w.Tx, cancellationToken: ct));
        if (inserted is not { } row)
        {
            return null;
        }
        long? id = row.Id;
        await Timeline.AddAsync(w, null, id, "created",
            new { stageId = d.StageId, pipelineId = d.PipelineId, title = d.Title, amount = d.Amount, currency = row.Currency, source = d.Source, leadId = d.LeadId, parentDealId = d.ParentDealId }, ct);
        var subject = Subject.Deal(id.Value);
        var c = chain ?? [];
        await CrmEvents.RaiseAsync(w.Connection, w.Tx, new CrmEvent("dealCreated", subject, w.Now) { PipelineId = d.PipelineId, StageId = d.StageId, Source = d.Source, Depth = depth, Chain = c }, ct);
        await CrmEvents.RaiseAsync(w.Connection, w.Tx, new CrmEvent("stageEntered", subject, w.Now) { PipelineId = d.PipelineId, StageId = d.StageId, Source = d.Source, Depth = depth, Chain = c }, ct);
        w.Changes.Deals.Add(id.Value);
        w.Changes.Counters(d.AssigneeId);
        return id;
    }

    public static Task<DealState?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long dealId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<DealState>(new CommandDefinition(
            "select id, pipeline_id, stage_id, title, assignee_id, contact_id, closed_at, outcome from deals where id = @dealId for no key update",
            new { dealId }, tx, cancellationToken: ct));

    /// <summary>Moves an open deal to another open stage (possibly of another pipeline).</summary>
    public static async Task MoveAsync(CrmWrite w, DealState deal, StageRow to, CancellationToken ct, int depth = 0, long[]? chain = null)
    {
        if (deal.StageId == to.Id)
        {
            return;
        }
        var from = await EnterStageAsync(w, deal, to, ct);
        await Timeline.AddAsync(w, null, deal.Id, "stageChanged", new
        {
            fromStageId = from.Id, fromStage = from.Name, fromPipelineId = from.PipelineId, toStageId = to.Id, toStage = to.Name, toPipelineId = to.PipelineId,
        }, ct);
        await CrmEvents.RaiseAsync(w.Connection, w.Tx, new CrmEvent("stageEntered", Subject.Deal(deal.Id), w.Now)
        { PipelineId = to.PipelineId, StageId = to.Id, Depth = depth, Chain = chain ?? [] }, ct);
        w.Changes.Deals.Add(deal.Id);
        w.Changes.Counters(deal.AssigneeId);
    }

    /// <summary>Closes an open deal on a won or lost stage.</summary>
    public static async Task CloseAsync(CrmWrite w, DealState deal, StageRow to, long? lossReasonId, string? lossReason, CancellationToken ct)
    {
        var from = await EnterStageAsync(w, deal, to, ct);
        await w.Connection.ExecuteAsync(new CommandDefinition(
            "update deals set outcome = @outcome, closed_at = @now, loss_reason_id = @lossReasonId where id = @id",
            new { id = deal.Id, outcome = to.Semantic, now = w.Now.UtcDateTime, lossReasonId }, w.Tx, cancellationToken: ct));
        await Timeline.AddAsync(w, null, deal.Id, "closed", new
        {
            outcome = to.Semantic, fromStageId = from.Id, fromStage = from.Name, toStageId = to.Id, toStage = to.Name, lossReasonId, lossReason,
        }, ct);
        var subject = Subject.Deal(deal.Id);
        await CrmEvents.RaiseAsync(w.Connection, w.Tx, new CrmEvent(to.Semantic == "won" ? "dealWon" : "dealLost", subject, w.Now) { PipelineId = to.PipelineId, StageId = to.Id }, ct);
        await CrmEvents.RaiseAsync(w.Connection, w.Tx, new CrmEvent("stageEntered", subject, w.Now) { PipelineId = to.PipelineId, StageId = to.Id }, ct);
        w.Changes.Deals.Add(deal.Id);
        w.Changes.Counters(deal.AssigneeId);
    }

    /// <summary>Reopens a closed deal on an open stage.</summary>
    public static async Task ReopenAsync(CrmWrite w, DealState deal, StageRow to, CancellationToken ct)
    {
        var from = await EnterStageAsync(w, deal, to, ct);
        await w.Connection.ExecuteAsync(new CommandDefinition(
            "update deals set outcome = null, closed_at = null, loss_reason_id = null where id = @id", new { id = deal.Id }, w.Tx, cancellationToken: ct));
        await Timeline.AddAsync(w, null, deal.Id, "reopened", new
        {
            previousOutcome = deal.Outcome, fromStageId = from.Id, fromStage = from.Name, toStageId = to.Id, toStage = to.Name,
        }, ct);
        await CrmEvents.RaiseAsync(w.Connection, w.Tx, new CrmEvent("stageEntered", Subject.Deal(deal.Id), w.Now) { PipelineId = to.PipelineId, StageId = to.Id }, ct);
        w.Changes.Deals.Add(deal.Id);
        w.Changes.Counters(deal.AssigneeId);
    }

    /// <summary>The open stage a closed deal was on before it closed (for reopen), if it still exists.</summary>
    public static Task<StageRow?> StageBeforeCloseAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long dealId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<StageRow>(new CommandDefinition("""
            select s.id, s.pipeline_id, s.name, s.semantic, s.sort from deal_stage_history h join stages s on s.id = h.stage_id
            where h.deal_id = @dealId and s.semantic = 'open' order by h.id desc limit 1
            """, new { dealId }, tx, cancellationToken: ct));

    private static async Task<StageRow> EnterStageAsync(CrmWrite w, DealState deal, StageRow to, CancellationToken ct)
    {
        const string sql = """
            select s.id, s.pipeline_id, s.name, s.semantic, s.sort from stages s where s.id = @fromId;
            update deals set stage_id = @toId, pipeline_id = @pipelineId, stage_entered_at = @now, updated_at = @now where id = @dealId;
            update deal_stage_history set left_at = @now where deal_id = @dealId and left_at is null;
            insert into deal_stage_history (deal_id, stage_id, entered_at, actor_type, actor_id) values (@dealId, @toId, @now, @actorType, @actorId);
            """;
        await using var grid = await w.Connection.QueryMultipleAsync(new CommandDefinition(sql, new
        {
            fromId = deal.StageId, toId = to.Id, pipelineId = to.PipelineId, now = w.Now.UtcDateTime, dealId = deal.Id, actorType = w.Actor.Type, actorId = w.Actor.Id,
        }, w.Tx, cancellationToken: ct));
        return await grid.ReadSingleOrDefaultAsync<StageRow>() ?? new StageRow(deal.StageId, deal.PipelineId, "(removed)", "open", 0);
    }
}
