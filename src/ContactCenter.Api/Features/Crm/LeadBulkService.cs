using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// `POST /api/leads/bulk {ids, action: assign|status|junk, assigneeId? | status? | junkReasonId?}`: each lead changes through the
/// single-lead service (same checks, timeline and hub pushes); a lead the caller cannot see is reported as not found and is
/// never changed, so one hidden id cannot reveal or block the others.
/// </summary>
public sealed class LeadBulkService(LeadService leads, NpgsqlDataSource db)
{
    public const int MaxIds = 500;

    /// <summary>`Outcome`: changed, unchanged (already as asked: nothing written), notFound (not a lead the caller sees), refused (`Error` says why).</summary>
    public sealed record ItemResult(long Id, string Outcome, string? Error = null);

    public sealed record BulkResult(int Changed, IReadOnlyList<ItemResult> Items);

    public async Task<CrmResult<BulkResult>> ApplyAsync(CurrentUser me, LeadBulkInput body, CancellationToken ct)
    {
        if (body.Unknown is { Count: > 0 } extra)
        {
            var key = extra.Keys.First();
            return CrmResult<BulkResult>.Invalid(key, $"Unknown field {key}: send ids, action and its assigneeId, status or junkReasonId.");
        }
        if (body.AssigneeId.IsMalformed)
        {
            return CrmResult<BulkResult>.Invalid("assigneeId", "assigneeId is a user id, or null to unassign.");
        }
        var ids = (body.Ids ?? []).Distinct().Order().ToArray();
        if (ids.Length is 0 or > MaxIds)
        {
            return CrmResult<BulkResult>.Invalid("ids", $"ids lists 1 to {MaxIds} lead ids.");
        }
        var action = body.Action;
        // A member another action takes is refused, not ignored: {action: assign, assigneeId, status} did not set the status.
        var stray = (action == "assign" ? null : body.AssigneeId.IsPresent ? "assigneeId" : null)
            ?? (action == "status" ? null : body.Status is not null ? "status" : null)
            ?? (action == "junk" ? null : body.JunkReasonId is not null ? "junkReasonId" : null);
        if (action is "assign" or "status" or "junk" && stray is not null)
        {
            return CrmResult<BulkResult>.Invalid(stray, $"{stray} does not go with action {action}: send only the argument of the action.");
        }
        switch (action)
        {
            case "assign" when !body.AssigneeId.IsSet:
                return CrmResult<BulkResult>.Invalid("assigneeId", "assign needs assigneeId (a user id or null).");
            case "status" when body.Status is null:
                return CrmResult<BulkResult>.Invalid("status", "status needs status (new or in_work).");
            case "status" when body.Status is not ("new" or "in_work"):
                return CrmResult<BulkResult>.Invalid("status", "status can be set to new or in_work; use action junk to close leads.");
            case "junk" when body.JunkReasonId is null:
                return CrmResult<BulkResult>.Invalid("junkReasonId", "junk needs junkReasonId (GET /api/junk-reasons).");
            case "assign" or "status" or "junk":
                break;
            default:
                return CrmResult<BulkResult>.Invalid("action", "action is assign, status or junk.");
        }
        // What the request names besides the leads is checked once: an unknown reason or user is the request's fault (400),
        // not a refusal repeated on every lead.
        if (await UnknownReferenceAsync(action, body, ct) is { } unknown)
        {
            return unknown;
        }
        // A lead already as asked (the same assignee, the same status) is reported unchanged and not written: no timeline
        // entry, no new updatedAt, no side effect of the change (an assignment moves a new lead to in work).
        var already = await AlreadyAsync(me, ids, action, body, ct);
        var items = new List<ItemResult>(ids.Length);
        foreach (var id in ids)
        {
            if (already.Contains(id))
            {
                items.Add(new ItemResult(id, "unchanged"));
                continue;
            }
            var result = action switch
            {
                "assign" => (await leads.PatchAsync(me, id, new LeadPatch { AssigneeId = body.AssigneeId }, ct)).As<object>(),
                "status" => (await leads.PatchAsync(me, id, new LeadPatch { Status = Optional<string?>.Of(body.Status) }, ct)).As<object>(),
                _ => (await leads.JunkAsync(me, id, new LeadService.JunkRequest(null, body.JunkReasonId), ct)).As<object>(),
            };
            items.Add(result.Status switch
            {
                CrmStatus.Ok => new ItemResult(id, "changed"),
                CrmStatus.NotFound => new ItemResult(id, "notFound", "There is no such lead."),
                _ => new ItemResult(id, "refused", result.Detail),
            });
        }
        return CrmResult<BulkResult>.Ok(new BulkResult(items.Count(i => i.Outcome == "changed"), items));
    }

    /// <summary>Of the leads the caller sees, those the action would not change (one changed meanwhile goes through the change as before).</summary>
    private async Task<HashSet<long>> AlreadyAsync(CurrentUser me, long[] ids, string? action, LeadBulkInput body, CancellationToken ct)
    {
        if (action is not ("assign" or "status"))
        {
            return [];
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<long>(new CommandDefinition($"""
            select l.id from leads l
            where l.id = any(@ids) and {CrmAccess.LeadVisible}
              and case when @assign then l.assignee_id is not distinct from @assignee::bigint else l.status = @status end
            """, new { ids, me = me.Id, staff = me.IsStaff, assign = action == "assign", assignee = body.AssigneeId.Value, status = body.Status ?? "" },
            cancellationToken: ct))).ToHashSet();
    }

    private async Task<CrmResult<BulkResult>?> UnknownReferenceAsync(string? action, LeadBulkInput body, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (action == "junk")
        {
            var reason = body.JunkReasonId;
            var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from junk_reasons where id = @reason and archived_at is null)", new { reason }, cancellationToken: ct));
            return known ? null : CrmResult<BulkResult>.Invalid("junkReasonId", "There is no such junk reason (GET /api/junk-reasons).");
        }
        if (action == "assign" && body.AssigneeId.Value is { } assignee)
        {
            var active = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from users where id = @assignee and is_active)", new { assignee }, cancellationToken: ct));
            return active ? null : CrmResult<BulkResult>.Invalid("assigneeId", "There is no such active user.");
        }
        return null;
    }
}
