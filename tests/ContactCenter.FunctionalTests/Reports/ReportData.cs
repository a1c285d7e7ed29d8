using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests.Reports;

/// <summary>Builds report data straight in the database with exact times, so every figure of a report can be computed by hand.</summary>
public sealed class ReportData(AppFixture fixture)
{
    public static readonly DateTime Jan = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The default pipeline's stages by name: New, Qualification, Proposal, Negotiation, Won, Lost.</summary>
    public async Task<(long Pipeline, Dictionary<string, long> Stages)> PipelineAsync()
    {
        await using var db = fixture.Db();
        var pipeline = await db.ExecuteScalarAsync<long>("select id from pipelines where is_default");
        var stages = (await db.QueryAsync<(string Name, long Id)>("select name, id from stages where pipeline_id = @pipeline", new { pipeline }))
            .ToDictionary(s => s.Name, s => s.Id);
        return (pipeline, stages);
    }

    public async Task<long> ContactAsync(string name)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>("insert into contacts (name) values (@name) returning id", new { name });
    }

    public async Task<long> DealAsync(string title, decimal amount, long? assigneeId, string? source, DateTime createdAt,
        DateTime? closedAt = null, string? outcome = null, long? lossReasonId = null, long? contactId = null, long? leadId = null)
    {
        var (pipeline, stages) = await PipelineAsync();
        var stage = outcome switch { "won" => stages["Won"], "lost" => stages["Lost"], _ => stages["New"] };
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>("""
            insert into deals (contact_id, pipeline_id, stage_id, title, amount, assignee_id, source, lead_id, created_at, closed_at, outcome, loss_reason_id)
            values (@contactId, @pipeline, @stage, @title, @amount, @assigneeId, @source, @leadId, @createdAt, @closedAt, @outcome, @lossReasonId)
            returning id
            """, new { contactId, pipeline, stage, title, amount, assigneeId, source, leadId, createdAt, closedAt, outcome, lossReasonId });
    }

    /// <summary>The deal's stage history: each (stage name, entered at) in order.</summary>
    public async Task HistoryAsync(long dealId, params (string Stage, DateTime At)[] steps)
    {
        var (_, stages) = await PipelineAsync();
        await using var db = fixture.Db();
        foreach (var (stage, at) in steps)
        {
            await db.ExecuteAsync("insert into deal_stage_history (deal_id, stage_id, entered_at) values (@dealId, @stageId, @at)",
                new { dealId, stageId = stages[stage], at });
        }
    }

    public async Task<long> LeadAsync(string title, long contactId, long? assigneeId, string? source, DateTime createdAt, string status = "new")
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>("""
            insert into leads (contact_id, title, status, source, assignee_id, created_at) values (@contactId, @title, @status, @source, @assigneeId, @createdAt) returning id
            """, new { contactId, title, status, source, assigneeId, createdAt });
    }

    public async Task<long> ConversationAsync(long channelId, long contactId, long? leadId = null, long? dealId = null)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>("""
            insert into conversations (channel_id, contact_id, thread_key, lead_id, deal_id) values (@channelId, @contactId, @thread, @leadId, @dealId) returning id
            """, new { channelId, contactId, thread = Guid.NewGuid().ToString("N"), leadId, dealId });
    }

    public async Task MessageAsync(long conversationId, string direction, string senderType, long? userId, DateTime at, string? metadata = null)
    {
        await using var db = fixture.Db();
        await db.ExecuteAsync("""
            insert into messages (conversation_id, channel_id, direction, text, sender_type, sender_user_id, status, metadata, created_at)
            select c.id, c.channel_id, @direction, 'report test', @senderType, @userId, 'sent', @metadata::jsonb, @at from conversations c where c.id = @conversationId
            """, new { conversationId, direction, senderType, userId, at, metadata });
    }

    public async Task<long> ActivityAsync(string subjectType, long subjectId, long? assigneeId, DateTime dueAt, DateTime? completedAt = null, long? completedBy = null)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>("""
            insert into activities (subject_type, subject_id, type, title, due_at, assignee_id, completed_at, completed_by)
            values (@subjectType, @subjectId, 'task', 'Report task', @dueAt, @assigneeId, @completedAt, @completedBy) returning id
            """, new { subjectType, subjectId, dueAt, assigneeId, completedAt, completedBy });
    }

    public async Task ResponseAsync(long conversationId, long userId, DateTime at, double seconds)
    {
        await using var db = fixture.Db();
        await db.ExecuteAsync("""
            insert into response_events (conversation_id, channel_id, user_id, kind, started_at, at, seconds, business_seconds)
            select c.id, c.channel_id, @userId, 'first_response', @at - make_interval(secs => @seconds), @at, @seconds, @seconds from conversations c where c.id = @conversationId
            """, new { conversationId, userId, at, seconds });
    }

    public async Task RenameAsync(long userId, string name)
    {
        await using var db = fixture.Db();
        await db.ExecuteAsync("update users set name = @name where id = @userId", new { userId, name });
    }
}
