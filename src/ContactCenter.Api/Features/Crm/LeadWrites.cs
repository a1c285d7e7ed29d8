using ContactCenter.Api.Features.Crm.Automation;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

public sealed record LeadState(long Id, long ContactId, string Title, string Status, string? Source, long? AssigneeId, long? DealId);

/// <summary>Lead changes shared by REST, the inbound pipeline and the classic -> simple switch; inside the caller's transaction.</summary>
public static class LeadWrites
{
    public static async Task<long> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long contactId, string title, long? assigneeId, string? source,
        Actor actor, DateTimeOffset now, object createdData, CrmChanges changes, CancellationToken ct)
    {
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into leads (contact_id, title, assignee_id, source, created_at, updated_at)
            values (@contactId, @title, @assigneeId, @source, @now, @now)
            returning id
            """, new { contactId, title, assigneeId, source, now = now.UtcDateTime }, tx, cancellationToken: ct));
        await Timeline.AddAsync(connection, tx, id, null, "created", actor, now, createdData, ct);
        await CrmEvents.RaiseAsync(connection, tx, new CrmEvent("leadCreated", Subject.Lead(id), now) { Source = source }, ct);
        changes.Leads.Add(id);
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
    public static async Task<long> ConvertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, LeadState lead, StageRow stage, string? title,
        decimal amount, string currency, long? assigneeId, Actor actor, DateTimeOffset now, CrmChanges changes, CancellationToken ct)
    {
        var dealId = (await DealWrites.InsertAsync(connection, tx,
            new NewDeal(stage.PipelineId, stage.Id, string.IsNullOrWhiteSpace(title) ? lead.Title : title.Trim(), amount, currency, lead.ContactId, assigneeId, lead.Source)
            { LeadId = lead.Id }, actor, now, changes, ct))!.Value;
        const string sql = """
            update leads set status = 'converted', deal_id = @dealId, assignee_id = coalesce(assignee_id, @assigneeId), updated_at = @now where id = @leadId;
            update conversations set deal_id = @dealId where lead_id = @leadId;
            update timeline_entries set deal_id = @dealId where lead_id = @leadId and deal_id is null;
            update activities set subject_type = 'deal', subject_id = @dealId where subject_type = 'lead' and subject_id = @leadId and completed_at is null;
            """;
        await connection.ExecuteAsync(new CommandDefinition(sql, new { dealId, leadId = lead.Id, assigneeId, now = now.UtcDateTime }, tx, cancellationToken: ct));
        await Timeline.AddAsync(connection, tx, lead.Id, dealId, "converted", actor, now, new { leadId = lead.Id, dealId, contactId = lead.ContactId, stageId = stage.Id }, ct);
        changes.Leads.Add(lead.Id);
        changes.Counters(assigneeId, lead.AssigneeId);
        return dealId;
    }
}
