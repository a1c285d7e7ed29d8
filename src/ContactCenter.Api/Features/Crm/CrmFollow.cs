using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// A conversation taken by or given to someone (manual assign, take, a manager's first reply, automatic routing)
/// takes its open lead or deal along when nobody owns it yet. Otherwise the lead would stay unassigned, visible to
/// every member of the channel, and a colleague could read the new owner's replies on its timeline or take the lead
/// itself. An owned lead or deal keeps its owner (reassigning those is a CRM decision, PATCH). Runs in the caller's
/// transaction; the change is written on the timeline and noted in <see cref="CrmChanges"/> to push after commit.
/// </summary>
public static class CrmFollow
{
    private sealed record Taken(long? LeadId, string? LeadStatus, long? DealId, long? LinkedLeadId, long? LinkedDealId);

    /// <param name="viewers">Who saw the conversation before this assignment (they may have seen its lead or deal through it).</param>
    public static async Task ConversationAssignedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long conversationId, long userId,
        Actor actor, DateTimeOffset now, CrmChanges changes, CancellationToken ct, IReadOnlyCollection<long>? viewers = null)
    {
        // Same rule as PATCH /api/leads: assigning a new lead puts it in work.
        const string sql = """
            with c as (
                select lead_id, deal_id from conversations where id = @conversationId and assignee_id = @userId
            ), l as (
                update leads set assignee_id = @userId, status = case when status = 'new' then 'in_work' else status end, updated_at = @now
                where id = (select lead_id from c) and status in ('new', 'in_work') and assignee_id is null
                returning id, status
            ), d as (
                update deals set assignee_id = @userId, updated_at = @now
                where id = (select deal_id from c) and closed_at is null and assignee_id is null
                returning id
            )
            select (select id from l) as lead_id, (select status from l) as lead_status, (select id from d) as deal_id,
                   (select lead_id from c) as linked_lead_id, (select deal_id from c) as linked_deal_id
            """;
        var taken = await connection.QuerySingleAsync<Taken>(new CommandDefinition(sql, new { conversationId, userId, now = now.UtcDateTime }, tx, cancellationToken: ct));
        if (taken.LeadId is { } leadId)
        {
            await Timeline.AddAsync(connection, tx, leadId, null, "updated", actor, now,
                new { changes = new { assigneeId = userId, status = taken.LeadStatus }, conversationId, reason = "conversationAssigned" }, ct);
            changes.Leads.Add(leadId);
        }
        if (taken.DealId is { } dealId)
        {
            await Timeline.AddAsync(connection, tx, null, dealId, "updated", actor, now,
                new { changes = new { assigneeId = userId }, conversationId, reason = "conversationAssigned" }, ct);
            changes.Deals.Add(dealId);
        }
        // Whoever saw the lead or deal through this conversation may have lost sight of it, whether it changed owner here or
        // already had one (a colleague's lead seen through the unassigned conversation): told after commit if so.
        if (viewers is not null)
        {
            if (taken.LinkedLeadId is { } linkedLead)
            {
                changes.Leads.Add(linkedLead);
                changes.TakenWith.Add((false, linkedLead, viewers));
            }
            if (taken.LinkedDealId is { } linkedDeal)
            {
                changes.Deals.Add(linkedDeal);
                changes.TakenWith.Add((true, linkedDeal, viewers));
            }
        }
        if (taken.LeadId is not null || taken.DealId is not null)
        {
            changes.Counters(userId);
        }
    }
}
