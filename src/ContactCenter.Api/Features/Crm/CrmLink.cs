using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// Ties a conversation to the contact's open deal or lead, opening one when there is none:
/// a lead in CRM mode `classic`, a deal in the default pipeline's first stage in mode `simple`.
/// Runs inside the caller's transaction (the inbound pipeline's).
/// </summary>
public static class CrmLink
{
    private sealed record Candidates(long? ConversationLead, long? ConversationDeal, long? OpenDeal, long? OpenLead, string Mode);

    public static async Task<(long? LeadId, long? DealId)> AttachAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        long conversationId, long contactId, long? leadId, long? dealId, long? assigneeId, string contactName, string channelKind,
        string? source, DateTimeOffset now, CancellationToken ct)
    {
        const string find = """
            select
                (select l.id from leads l where l.id = @leadId and l.status in ('new', 'in_work')) as conversation_lead,
                (select d.id from deals d where d.id = @dealId and d.closed_at is null) as conversation_deal,
                (select d.id from deals d where d.contact_id = @contactId and d.closed_at is null order by d.id desc limit 1) as open_deal,
                (select l.id from leads l where l.contact_id = @contactId and l.status in ('new', 'in_work') order by l.id desc limit 1) as open_lead,
                coalesce((select value ->> 'mode' from app_settings where key = 'crm'), 'classic') as mode
            """;
        var c = await connection.QuerySingleAsync<Candidates>(new CommandDefinition(find, new { leadId, dealId, contactId }, tx, cancellationToken: ct));
        if (c.ConversationDeal is not null || (c.ConversationLead is not null && c.OpenDeal is null))
        {
            return (c.ConversationLead, c.ConversationDeal);
        }

        long? newLead = null, newDeal = null;
        if (c.OpenDeal is not null)
        {
            newDeal = c.OpenDeal;
        }
        else if (c.OpenLead is not null)
        {
            newLead = c.OpenLead;
        }
        else if (c.Mode == "simple")
        {
            const string createDeal = """
                with s as (
                    select st.pipeline_id, st.id from stages st join pipelines p on p.id = st.pipeline_id
                    where p.is_default and st.semantic = 'open' order by st.sort limit 1
                ), d as (
                    insert into deals (contact_id, pipeline_id, stage_id, title, assignee_id, source, created_at, updated_at)
                    select @contactId, s.pipeline_id, s.id, @title, @assigneeId, @source, @now, @now from s
                    returning id, stage_id
                ), t as (
                    insert into timeline_entries (deal_id, type, at, actor_type, data)
                    select d.id, 'created', @now, 'system', jsonb_build_object('channelKind', @channelKind, 'source', @source, 'stageId', d.stage_id) from d
                )
                select id from d
                """;
            newDeal = await connection.ExecuteScalarAsync<long>(new CommandDefinition(createDeal,
                new { contactId, title = $"{contactName} ({channelKind})", assigneeId, source, now, channelKind }, tx, cancellationToken: ct));
        }
        else
        {
            const string createLead = """
                with l as (
                    insert into leads (contact_id, title, assignee_id, source, created_at, updated_at)
                    values (@contactId, @title, @assigneeId, @source, @now, @now)
                    returning id
                ), t as (
                    insert into timeline_entries (lead_id, type, at, actor_type, data)
                    select l.id, 'created', @now, 'system', jsonb_build_object('channelKind', @channelKind, 'source', @source) from l
                )
                select id from l
                """;
            newLead = await connection.ExecuteScalarAsync<long>(new CommandDefinition(createLead,
                new { contactId, title = $"{contactName} ({channelKind})", assigneeId, source, now, channelKind }, tx, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "update conversations set lead_id = @newLead, deal_id = @newDeal where id = @conversationId",
            new { newLead, newDeal, conversationId }, tx, cancellationToken: ct));
        return (newLead, newDeal);
    }
}
