using ContactCenter.Api.Features.Crm.Automation;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// Ties a conversation to the contact's open deal or lead, opening one when there is none:
/// a lead in CRM mode `classic`, a deal in the default pipeline's first stage in mode `simple`.
/// Runs inside the caller's transaction (the inbound pipeline's); what it opened goes into the caller's <see cref="CrmChanges"/>,
/// which the pipeline pushes after commit in the same fan-out as the message.
/// </summary>
public static class CrmLink
{
    private sealed record Candidates(long? ConversationLead, long? ConversationDeal, long? OpenDeal, long? OpenLead, string Mode);

    public static async Task<(long? LeadId, long? DealId)> AttachAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        long conversationId, long contactId, long? leadId, long? dealId, long? assigneeId, string contactName, string channelKind,
        string? source, DateTimeOffset now, CrmChanges changes, CancellationToken ct)
    {
        const string find = """
            select
                (select l.id from leads l where l.id = @leadId and l.status in ('new', 'in_work')) as conversation_lead,
                (select d.id from deals d where d.id = @dealId and d.closed_at is null) as conversation_deal,
                (select d.id from deals d where d.contact_id = @contactId and d.closed_at is null order by d.id desc limit 1) as open_deal,
                (select l.id from leads l where l.contact_id = @contactId and l.status in ('new', 'in_work') order by l.id desc limit 1) as open_lead,
                coalesce((select value ->> 'mode' from app_settings where key = 'crm' for share), 'classic') as mode
            """;
        var c = await connection.QuerySingleAsync<Candidates>(new CommandDefinition(find, new { leadId, dealId, contactId }, tx, cancellationToken: ct));
        if (c.ConversationDeal is not null || (c.ConversationLead is not null && c.OpenDeal is null))
        {
            await RaiseInboundAsync(connection, tx, c.ConversationLead, c.ConversationDeal, conversationId, channelKind, source, now, ct);
            return (c.ConversationLead, c.ConversationDeal);
        }

        long? newLead = null, newDeal = null;
        var opened = false;
        var title = $"{contactName} ({channelKind})";
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
            var stage = await StageRow.EntryAsync(connection, tx, null, ct) ?? throw new InvalidOperationException("The default pipeline has no open stage.");
            newDeal = await DealWrites.InsertAsync(new CrmWrite(connection, tx, Actor.System, now, changes),
                new NewDeal(stage.PipelineId, stage.Id, title, 0, null, contactId, assigneeId, source ?? channelKind), ct);
            opened = true;
        }
        else
        {
            newLead = await LeadWrites.InsertAsync(new CrmWrite(connection, tx, Actor.System, now, changes),
                new NewLead(contactId, title, assigneeId, source ?? channelKind, new { channelKind, source, conversationId }), ct);
            opened = true;
        }
        if (opened)
        {
            // The card shows where a lead or deal came from (issue #17): the channel, the conversation and the connector's source text.
            await connection.ExecuteAsync(new CommandDefinition("""
                update deals set source_details = jsonb_strip_nulls(jsonb_build_object('channel', @channelKind::text, 'conversationId', @conversationId::bigint,
                    'channelId', (select channel_id from conversations where id = @conversationId), 'text', @source::text)) where id = @newDeal;
                update leads set source_details = jsonb_strip_nulls(jsonb_build_object('channel', @channelKind::text, 'conversationId', @conversationId::bigint,
                    'channelId', (select channel_id from conversations where id = @conversationId), 'text', @source::text)) where id = @newLead;
                """, new { channelKind, conversationId, source, newLead, newDeal }, tx, cancellationToken: ct));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "update conversations set lead_id = @newLead, deal_id = @newDeal where id = @conversationId",
            new { newLead, newDeal, conversationId }, tx, cancellationToken: ct));
        await RaiseInboundAsync(connection, tx, newLead, newDeal, conversationId, channelKind, source, now, ct);
        return (newLead, newDeal);
    }

    /// <summary>Every inbound message may trigger `inboundMessage` rules, and starts the `noReply` wait of its conversation.</summary>
    private static async Task RaiseInboundAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long? leadId, long? dealId, long conversationId,
        string channelKind, string? source, DateTimeOffset now, CancellationToken ct)
    {
        if ((dealId ?? leadId) is not { } id)
        {
            return;
        }
        var subject = dealId is not null ? Subject.Deal(id) : Subject.Lead(id);
        long? pipelineId = null, stageId = null;
        if (dealId is not null)
        {
            (pipelineId, stageId) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
                "select pipeline_id, stage_id from deals where id = @dealId", new { dealId }, tx, cancellationToken: ct));
        }
        foreach (var type in (string[])["inboundMessage", "noReply"])
        {
            await CrmEvents.RaiseAsync(connection, tx, new CrmEvent(type, subject, now)
            { ChannelKind = channelKind, ConversationId = conversationId, Source = source ?? channelKind, PipelineId = pipelineId, StageId = stageId }, ct);
        }
    }
}
