using ContactCenter.Api.Features.Crm.Automation;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

public sealed record LeadState(long Id, long ContactId, string Title, string Status, string? Source, long? AssigneeId, long? DealId);

/// <summary>Lead changes shared by REST, the inbound pipeline and the classic -> simple switch; inside the caller's transaction.</summary>
public static class LeadWrites
{
    public static async Task<long> InsertAsync(CrmWrite w, NewLead lead, CancellationToken ct)
    {
        var id = await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into leads (contact_id, title, assignee_id, source, created_at, updated_at)
            values (@ContactId, @Title, @AssigneeId, @Source, @now, @now)
            returning id
            """, new { lead.ContactId, lead.Title, lead.AssigneeId, lead.Source, now = w.Now.UtcDateTime }, w.Tx, cancellationToken: ct));
        await Timeline.AddAsync(w, id, null, "created", lead.CreatedData, ct);
        await CrmEvents.RaiseAsync(w.Connection, w.Tx, new CrmEvent("leadCreated", Subject.Lead(id), w.Now) { Source = lead.Source }, ct);
        w.Changes.Leads.Add(id);
        return id;
    }

    public static Task<LeadState?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long leadId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<LeadState>(new CommandDefinition(
            "select id, contact_id, title, status, source, assignee_id, deal_id from leads where id = @leadId for no key update",
            new { leadId }, tx, cancellationToken: ct));

    /// <summary>
    /// Converts an open lead into a deal of the same contact: the lead's conversations, open activities and whole
    /// timeline now belong to the deal too (timeline entries keep their lead and gain the deal), so its history carries over.
    /// </summary>
    public static async Task<long> ConvertAsync(CrmWrite w, LeadState lead, LeadConversion to, CancellationToken ct)
    {
        var dealId = (await DealWrites.InsertAsync(w,
            new NewDeal(to.Stage.PipelineId, to.Stage.Id, string.IsNullOrWhiteSpace(to.Title) ? lead.Title : to.Title.Trim(), to.Amount, to.Currency, lead.ContactId,
                to.AssigneeId, lead.Source) { LeadId = lead.Id }, ct))!.Value;
        const string sql = """
            update leads set status = 'converted', deal_id = @dealId, assignee_id = coalesce(assignee_id, @assigneeId), updated_at = @now where id = @leadId;
            update conversations set deal_id = @dealId where lead_id = @leadId;
            update timeline_entries set deal_id = @dealId where lead_id = @leadId and deal_id is null;
            update activities set subject_type = 'deal', subject_id = @dealId where subject_type = 'lead' and subject_id = @leadId and completed_at is null;
            """;
        await w.Connection.ExecuteAsync(new CommandDefinition(sql, new { dealId, leadId = lead.Id, to.AssigneeId, now = w.Now.UtcDateTime }, w.Tx, cancellationToken: ct));
        await Timeline.AddAsync(w, lead.Id, dealId, "converted", new { leadId = lead.Id, dealId, contactId = lead.ContactId, stageId = to.Stage.Id }, ct);
        w.Changes.Leads.Add(lead.Id);
        w.Changes.Counters(to.AssigneeId, lead.AssigneeId);
        return dealId;
    }
}
