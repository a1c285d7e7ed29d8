using ContactCenter.Api.Auth;
using Dapper;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// `POST /api/deals/bulk`: assign, move or close many deals at once, all or nothing. Every id must be a deal the caller
/// sees (one that is not answers 404 and nothing changes); each deal changes through the same <see cref="DealWrites"/>
/// steps as the single-deal routes (stage history, timeline, automation events), and the changes are pushed after commit.
/// </summary>
public sealed class DealBulkService(CrmWriter crm)
{
    public const int MaxIds = 500;

    /// <summary>`Count` deals named (all of them checked and locked), `Changed` of them actually changed (a deal already on the stage or with the assignee is not).</summary>
    public sealed record BulkResult(int Count, int Changed, IReadOnlyList<long> Ids);

    public async Task<CrmResult<BulkResult>> ApplyAsync(CurrentUser me, DealBulkInput body, CancellationToken ct)
    {
        if (body.Unknown is { Count: > 0 } unknown)
        {
            var key = unknown.Keys.First();
            return CrmResult<BulkResult>.Invalid(key, $"Unknown field {key}: send ids and one of assigneeId, stageId or close.");
        }
        if (body.Close?.Unknown is { Count: > 0 } unknownClose)
        {
            var key = unknownClose.Keys.First();
            return CrmResult<BulkResult>.Invalid($"close.{key}", $"Unknown field close.{key}: close is {{won: true|false, lossReasonId?}}.");
        }
        if (body.AssigneeId.IsMalformed)
        {
            return CrmResult<BulkResult>.Invalid("assigneeId", "assigneeId is a user id, or null to unassign.");
        }
        var ids = (body.Ids ?? []).Distinct().ToArray();
        if (ids.Length is 0 or > MaxIds)
        {
            return CrmResult<BulkResult>.Invalid("ids", $"ids lists 1 to {MaxIds} deal ids.");
        }
        var actions = (body.AssigneeId.IsSet ? 1 : 0) + (body.StageId is not null ? 1 : 0) + (body.Close is not null ? 1 : 0);
        if (actions != 1)
        {
            return CrmResult<BulkResult>.Invalid("body", "Give exactly one of assigneeId, stageId or close.");
        }
        if (body.Close is { Won: not null, Outcome: not null })
        {
            return CrmResult<BulkResult>.Invalid("close", "close takes won or outcome, not both.");
        }
        var outcome = body.Close is null ? null : body.Close.Outcome ?? (body.Close.Won is { } won ? (won ? "won" : "lost") : null);
        var lossReasonId = body.Close?.LossReasonId;
        if (body.Close is not null && outcome is not ("won" or "lost"))
        {
            return CrmResult<BulkResult>.Invalid("close", "close is {won: true} or {won: false, lossReasonId}.");
        }
        if (outcome == "won" && lossReasonId is not null)
        {
            return CrmResult<BulkResult>.Invalid("close.lossReasonId", "A won close takes no loss reason.");
        }
        if (outcome == "lost" && lossReasonId is null)
        {
            return CrmResult<BulkResult>.Invalid("close.lossReasonId", "Lost deals need a loss reason (GET /api/loss-reasons).");
        }
        var assigneeId = body.AssigneeId.Value;
        var stageId = body.StageId;
        return await crm.RunAsync(Actor.User(me), async w =>
        {
            // Locked in id order so two overlapping bulk changes cannot deadlock.
            var deals = (await w.Connection.QueryAsync<DealState>(new CommandDefinition($"""
                select d.id, d.pipeline_id, d.stage_id, d.title, d.assignee_id, d.contact_id, d.closed_at, d.outcome
                from deals d where d.id = any(@ids) and {CrmAccess.DealVisible} order by d.id for no key update of d
                """, new { ids, me = me.Id, staff = me.IsStaff }, w.Tx, cancellationToken: ct))).ToList();
            if (deals.Count != ids.Length)
            {
                var missing = ids.Except(deals.Select(d => d.Id)).Order().First();
                return CrmResult<BulkResult>.NotFound($"There is no such deal: {missing}. Nothing was changed.");
            }
            // All or nothing, as a hidden deal: one a colleague owns refuses the whole change.
            if (deals.Select(d => CrmAccess.CheckOwner(me, d.AssigneeId, "deal")).FirstOrDefault(r => r is not null) is { } owned)
            {
                return owned.As<BulkResult>();
            }
            var failed = body.AssigneeId.IsSet ? await AssignAsync(w, me, deals, assigneeId, ct)
                : stageId is not null ? await MoveAsync(w, deals, stageId.Value, ct)
                : await CloseAsync(w, deals, outcome!, lossReasonId, ct);
            return failed ?? CrmResult<BulkResult>.Ok(new BulkResult(ids.Length, ids.Count(w.Changes.Deals.Contains), ids.Order().ToList()));
        }, ct);
    }

    private static async Task<CrmResult<BulkResult>?> AssignAsync(CrmWrite w, CurrentUser me, List<DealState> deals, long? assigneeId, CancellationToken ct)
    {
        if (await DealService.CheckPeopleAsync(w.Connection, w.Tx, me, null, assigneeId, ct) is { } invalid)
        {
            return invalid.As<BulkResult>();
        }
        foreach (var deal in deals.Where(d => d.AssigneeId != assigneeId))
        {
            await w.Connection.ExecuteAsync(new CommandDefinition(
                "update deals set assignee_id = @assigneeId, updated_at = @now where id = @id",
                new { id = deal.Id, assigneeId, now = w.Now.UtcDateTime }, w.Tx, cancellationToken: ct));
            await Timeline.AddAsync(w, null, deal.Id, "updated", new { changes = new { assigneeId }, bulk = true }, ct);
            w.Changes.Deals.Add(deal.Id);
            w.Changes.Counters(deal.AssigneeId, assigneeId);
            w.Changes.HandedOver(deal: true, deal.Id, deal.AssigneeId, assigneeId);
        }
        return null;
    }

    private static async Task<CrmResult<BulkResult>?> MoveAsync(CrmWrite w, List<DealState> deals, long stageId, CancellationToken ct)
    {
        var to = await StageRow.FindAsync(w.Connection, w.Tx, stageId, ct);
        if (to is null)
        {
            return CrmResult<BulkResult>.NotFound("There is no such stage.");
        }
        if (to.Semantic != "open")
        {
            return CrmResult<BulkResult>.Invalid("stageId", "Bulk moves go to open stages; use close to win or lose deals.");
        }
        if (deals.FirstOrDefault(d => d.ClosedAt is not null) is { } closed)
        {
            return CrmResult<BulkResult>.Conflict($"Deal {closed.Id} is closed ({closed.Outcome}); reopen it before moving it. Nothing was changed.");
        }
        foreach (var deal in deals)
        {
            await DealWrites.MoveAsync(w, deal, to, ct);
        }
        return null;
    }

    private static async Task<CrmResult<BulkResult>?> CloseAsync(CrmWrite w, List<DealState> deals, string outcome, long? lossReasonId, CancellationToken ct)
    {
        string? reason = null;
        if (outcome == "lost")
        {
            reason = await w.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "select name from loss_reasons where id = @id", new { id = lossReasonId }, w.Tx, cancellationToken: ct));
            if (reason is null)
            {
                return CrmResult<BulkResult>.Invalid("close.lossReasonId", "There is no such loss reason.");
            }
        }
        if (deals.FirstOrDefault(d => d.ClosedAt is not null) is { } closed)
        {
            return CrmResult<BulkResult>.Conflict($"Deal {closed.Id} is already closed ({closed.Outcome}). Nothing was changed.");
        }
        foreach (var deal in deals)
        {
            if (await StageRow.FirstAsync(w.Connection, w.Tx, deal.PipelineId, outcome, ct) is not { } to)
            {
                return CrmResult<BulkResult>.Conflict($"The pipeline of deal {deal.Id} has no {outcome} stage. Nothing was changed.");
            }
            await DealWrites.CloseAsync(w, deal, to, outcome == "lost" ? lossReasonId : null, reason, ct);
        }
        return null;
    }
}
