using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using static ContactCenter.Api.Features.Crm.Automation.AutomationRunner;

namespace ContactCenter.Api.Features.Crm.Automation;

/// <summary>
/// The actions of one rule run, inside the runner's transaction. Events they raise carry the chain (depth + 1,
/// plus this rule) so that loop protection can stop a rule that triggers itself.
/// </summary>
/// <param name="w">The runner's transaction, on behalf of the rule (<see cref="Actor.Rule"/>).</param>
public sealed class AutomationActions(CrmWrite w, long ruleId, long jobId, int index, int depth, long[] chain)
{
    /// <summary>The result of createDeal: the tunnel's deal, made now or found from an earlier run.</summary>
    public sealed record CreatedDeal(long DealId, bool Existed);

    public Task<object> RunAsync(JsonObject action, SubjectContext ctx, CancellationToken ct) => action["type"]!.GetValue<string>() switch
    {
        "createActivity" => CreateActivityAsync(action, ctx, ct),
        "sendMessage" => SendMessageAsync(action, ctx, ct),
        "notify" => NotifyAsync(action, ctx, ct),
        "moveStage" => MoveStageAsync(action, ctx, ct),
        "assign" => AssignAsync(action, ctx, ct),
        "createDeal" => CreateDealAsync(action, ctx, ct),
        "addLabel" => AddLabelAsync(action, ctx, ct),
        var other => throw new ActionRefused($"Unknown action '{other}'."),
    };

    private async Task<object> CreateActivityAsync(JsonObject a, SubjectContext ctx, CancellationToken ct)
    {
        var assignee = await PersonAsync(a["assignee"], ctx, ct);
        var dueAt = await w.Connection.ExecuteScalarAsync<DateTime>(new CommandDefinition(
            "select ((@now at time zone 'UTC') + coalesce(@dueIn, 'PT0S')::interval) at time zone 'UTC'",
            new { now = w.Now.UtcDateTime, dueIn = a["dueIn"]?.GetValue<string>() }, w.Tx, cancellationToken: ct));
        var id = await ActivityService.InsertAsync(w, new NewActivity(ctx.Subject, a["activityType"]!.GetValue<string>(), ctx.Render(a["title"]!.GetValue<string>()),
            null, new DateTimeOffset(DateTime.SpecifyKind(dueAt, DateTimeKind.Utc)), assignee, null), ct);
        return new { activityId = id, assigneeId = assignee, dueAt = DateTime.SpecifyKind(dueAt, DateTimeKind.Utc) };
    }

    private async Task<object> SendMessageAsync(JsonObject a, SubjectContext ctx, CancellationToken ct)
    {
        // The subject's latest conversation, else the contact's latest (a tunnel or repeat-sale deal has none of its own).
        var conversationId = await w.Connection.ExecuteScalarAsync<long?>(new CommandDefinition($"""
            select c.id from conversations c
            where c.{(ctx.Subject.IsLead ? "lead_id" : "deal_id")} = @id or (@contactId::bigint is not null and c.contact_id = @contactId)
            order by (c.{(ctx.Subject.IsLead ? "lead_id" : "deal_id")} = @id) desc nulls last, c.last_activity_at desc, c.id desc limit 1
            """, new { id = ctx.Id, contactId = ctx.ContactId }, w.Tx, cancellationToken: ct));
        if (conversationId is not { } conversation)
        {
            throw new ActionRefused($"The {ctx.Type} has no conversation to send the message on.");
        }
        var text = ctx.Render(a["text"]!.GetValue<string>());
        var written = await Messages.MessageWriter.WriteAsync(w.Connection, w.Tx, new Messages.NewMessage(conversation, Note: false, text, w.Now)
        {
            ClientMessageId = $"automation:{jobId}:{index}",
            Bump = Messages.ConversationBump.Touch,
        }, ct);
        if (written is not { Inserted: true })
        {
            throw new ActionRefused("The message was already sent by an earlier run.");
        }
        var messageId = written.Id;
        await Timeline.AddAsync(w, ctx.Subject, "message", new
        {
            messageId, conversationId = conversation, direction = "outbound", preview = text.Length > 200 ? text[..200] : text,
        }, ct);
        w.Changes.Messages.Add(messageId);
        return new { messageId, conversationId = conversation };
    }

    private async Task<object> NotifyAsync(JsonObject a, SubjectContext ctx, CancellationToken ct)
    {
        var user = await PersonAsync(a["to"], ctx, ct) ?? throw new ActionRefused($"The {ctx.Type} has no owner to notify.");
        var text = ctx.Render(a["text"]!.GetValue<string>());
        // One notice per action run: a retried job that reaches this action again stores nothing new.
        var draft = new Notifications.NotificationDraft(user, Notifications.NotificationKinds.Automation, text,
            string.Create(CultureInfo.InvariantCulture, $"automation:{jobId}:{index}"),
            DealId: ctx.Subject.IsLead ? null : ctx.Id, LeadId: ctx.Subject.IsLead ? ctx.Id : null);
        w.Changes.Notifications.AddRange(await Notifications.NotificationStore.AddAsync(w.Connection, w.Tx, [draft], w.Now, ct));
        return new { userId = user, text };
    }

    private async Task<object> MoveStageAsync(JsonObject a, SubjectContext ctx, CancellationToken ct)
    {
        if (ctx.Subject.IsLead)
        {
            throw new ActionRefused("moveStage applies to deals, not leads.");
        }
        var deal = await DealWrites.LockAsync(w.Connection, w.Tx, ctx.Id, ct) ?? throw new ActionRefused("The deal no longer exists.");
        if (deal.ClosedAt is not null)
        {
            throw new ActionRefused($"The deal is closed ({deal.Outcome}).");
        }
        var stage = await StageRow.FindAsync(w.Connection, w.Tx, a["stageId"]!.GetValue<long>(), ct);
        if (stage is not { Semantic: "open" })
        {
            throw new ActionRefused("The target stage no longer exists or is not an open stage.");
        }
        await DealWrites.MoveAsync(w, deal, stage, ct, depth, chain);
        return new { fromStageId = deal.StageId, toStageId = stage.Id };
    }

    private async Task<object> AssignAsync(JsonObject a, SubjectContext ctx, CancellationToken ct)
    {
        var user = a["userId"]!.GetValue<long>();
        if (!await w.Connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists(select 1 from users where id = @user and is_active)", new { user }, w.Tx, cancellationToken: ct)))
        {
            throw new ActionRefused($"User {user} is not an active user.");
        }
        await w.Connection.ExecuteAsync(new CommandDefinition(ctx.Subject.IsLead
            ? "update leads set assignee_id = @user, status = case when status = 'new' then 'in_work' else status end, updated_at = @now where id = @id"
            : "update deals set assignee_id = @user, updated_at = @now where id = @id",
            new { user, id = ctx.Id, now = w.Now.UtcDateTime }, w.Tx, cancellationToken: ct));
        (ctx.Subject.IsLead ? w.Changes.Leads : w.Changes.Deals).Add(ctx.Id);
        w.Changes.Counters(user, ctx.AssigneeId);
        return new { userId = user, previousUserId = ctx.AssigneeId };
    }

    private async Task<object> CreateDealAsync(JsonObject a, SubjectContext ctx, CancellationToken ct)
    {
        var stage = await StageRow.FindAsync(w.Connection, w.Tx, a["stageId"]!.GetValue<long>(), ct);
        if (stage is null || stage.Semantic != "open" || stage.PipelineId != a["pipelineId"]!.GetValue<long>())
        {
            throw new ActionRefused("The target pipeline or stage no longer exists or is not an open stage.");
        }
        var source = ctx.Type + ":" + ctx.Id.ToString(CultureInfo.InvariantCulture);
        var title = a["title"] is { } t ? ctx.Render(t.GetValue<string>()) : ctx.Title;
        var id = await DealWrites.InsertAsync(w, new NewDeal(stage.PipelineId, stage.Id, title, 0, ctx.Currency, ctx.ContactId, ctx.AssigneeId, "automation")
        {
            ParentDealId = ctx.Subject.IsLead ? null : ctx.Id,
            LeadId = ctx.Subject.IsLead ? ctx.Id : null,
            TunnelRuleId = ruleId,
            TunnelSource = source,
        }, ct, depth, chain);
        if (id is null)
        {
            // Once per source and rule: a second trigger (or a retry) finds the deal made the first time.
            var existing = await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "select id from deals where tunnel_rule_id = @ruleId and tunnel_source = @source", new { ruleId, source }, w.Tx, cancellationToken: ct));
            return new CreatedDeal(existing, Existed: true);
        }
        return new CreatedDeal(id.Value, Existed: false);
    }

    /// <summary>Labels every conversation of the lead or deal (none is not an error: there is nothing to label).</summary>
    private async Task<object> AddLabelAsync(JsonObject a, SubjectContext ctx, CancellationToken ct)
    {
        var labelId = a["labelId"]!.GetValue<long>();
        if (!await w.Connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists(select 1 from labels where id = @labelId for key share)",
            new { labelId }, w.Tx, cancellationToken: ct)))
        {
            throw new ActionRefused($"Label {labelId} no longer exists.");
        }
        var labelled = (await w.Connection.QueryAsync<long>(new CommandDefinition($"""
            insert into conversation_labels (conversation_id, label_id)
            select c.id, @labelId from conversations c where c.{(ctx.Subject.IsLead ? "lead_id" : "deal_id")} = @id
            on conflict do nothing returning conversation_id
            """, new { labelId, id = ctx.Id }, w.Tx, cancellationToken: ct))).ToList();
        w.Changes.Conversations.UnionWith(labelled);
        return new { labelId, conversationIds = labelled };
    }

    private async Task<long?> PersonAsync(JsonNode? who, SubjectContext ctx, CancellationToken ct)
    {
        if (who is null || (who is JsonValue v && v.TryGetValue<string>(out var s) && s == "owner"))
        {
            return ctx.AssigneeId;
        }
        var id = who.GetValue<long>();
        return await w.Connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists(select 1 from users where id = @id and is_active)", new { id }, w.Tx, cancellationToken: ct))
            ? id : throw new ActionRefused($"User {id} is not an active user.");
    }
}
