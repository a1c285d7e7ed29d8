using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Fields;
using Dapper;

namespace ContactCenter.Api.Features.Crm;

/// <summary>PATCH of a deal: only the fields present change; `assigneeId: null` unassigns; a new stage moves or closes it.</summary>
public sealed class DealPatchService(CrmWriter crm, DealQueries queries)
{
    public async Task<CrmResult<DealDto>> PatchAsync(CurrentUser me, long id, JsonObject body, CancellationToken ct)
    {
        string? title = null, currency = null;
        decimal? amount = null;
        long? stageId = null, assigneeId = null, contactId = null;
        try
        {
            title = body["title"]?.GetValue<string>();
            amount = body["amount"]?.GetValue<decimal>();
            currency = body["currency"]?.GetValue<string>();
            stageId = body["stageId"]?.GetValue<long>();
            assigneeId = body["assigneeId"]?.GetValue<long>();
            contactId = body["contactId"]?.GetValue<long>();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            return CrmResult<DealDto>.Invalid("body", "title and currency are strings; amount, stageId, assigneeId and contactId are numbers.");
        }
        if (body.ContainsKey("title") && (string.IsNullOrWhiteSpace(title) || title.Length > 500))
        {
            return CrmResult<DealDto>.Invalid("title", "A title of at most 500 characters is required.");
        }
        if (DealService.CheckMoney(amount, currency) is { } bad)
        {
            return bad.As<DealDto>();
        }
        var extras = DealExtras.Parse(body);
        if (extras.Value is null)
        {
            return extras.As<DealDto>();
        }
        // A manager who gave the deal away no longer sees it: answer with what they sent, not a 404.
        return await DealService.ReadAsync(queries, await crm.RunAsync(Actor.User(me), async w =>
        {
            if (await DealService.LockVisibleAsync(w.Connection, w.Tx, me, id, ct) is not { } deal)
            {
                return CrmResult<long>.NotFound("There is no such deal.");
            }
            if (await Contacts.DealCompany.ApplyAsync(w.Connection, w.Tx, me, id, body, w.Now, w.Changes, ct) is { } badCompany)
            {
                return badCompany.As<long>();
            }
            if (await DealService.CheckPeopleAsync(w.Connection, w.Tx, me, contactId, assigneeId, ct) is { } invalid)
            {
                return invalid.As<long>();
            }
            FieldValues.Merge? customFields = null;
            if (body.ContainsKey("fields"))
            {
                customFields = FieldValues.Apply(await FieldValues.DefinitionsAsync(w.Connection, w.Tx, "deal", ct),
                    await FieldWrites.CurrentAsync(w.Connection, w.Tx, "deals", id, ct), body["fields"], sent: true, creating: false, deal.PipelineId);
                if (customFields.Failed)
                {
                    return CrmResult<long>.Invalid(customFields.Field!, customFields.Error!);
                }
            }
            if (stageId is not null && stageId != deal.StageId && await ChangeStageAsync(w, deal, stageId.Value, ct) is { } refused)
            {
                return refused;
            }
            var fields = new Dictionary<string, object?>();
            const string update = """
                update deals set title = coalesce(@title, title), amount = coalesce(@amount, amount), currency = coalesce(@currency, currency),
                       assignee_id = case when @setAssignee then @assigneeId else assignee_id end,
                       contact_id = case when @setContact then @contactId else contact_id end, updated_at = @now
                where id = @id
                """;
            if (body.ContainsKey("title")) { fields["title"] = title!.Trim(); }
            if (body.ContainsKey("amount")) { fields["amount"] = amount; }
            if (body.ContainsKey("currency")) { fields["currency"] = currency?.ToUpperInvariant(); }
            if (body.ContainsKey("assigneeId")) { fields["assigneeId"] = assigneeId; }
            if (body.ContainsKey("contactId")) { fields["contactId"] = contactId; }
            if (customFields is not null)
            {
                await FieldWrites.SetAsync(w.Connection, w.Tx, "deals", id, customFields.Json!, ct);
                fields["fields"] = body["fields"]!.DeepClone();
            }
            if (fields.Count > 0)
            {
                await w.Connection.ExecuteAsync(new CommandDefinition(update, new
                {
                    id, title = title?.Trim(), amount, currency = currency?.ToUpperInvariant(), setAssignee = body.ContainsKey("assigneeId"), assigneeId,
                    setContact = body.ContainsKey("contactId"), contactId, now = w.Now.UtcDateTime,
                }, w.Tx, cancellationToken: ct));
                await Timeline.AddAsync(w, null, id, "updated", new { changes = fields }, ct);
                w.Changes.Deals.Add(id);
                w.Changes.Counters(deal.AssigneeId, body.ContainsKey("assigneeId") ? assigneeId : null);
            }
            if (await extras.Value.ApplyAsync(w.Connection, w.Tx, id, w.Actor, w.Now, ct))
            {
                w.Changes.Deals.Add(id);
            }
            return CrmResult<long>.Ok(id);
        }, ct), ct);
    }

    /// <summary>Moves the deal to another stage; a won or lost stage (the kanban's closing columns) closes it. Null when done.</summary>
    private static async Task<CrmResult<long>?> ChangeStageAsync(CrmWrite w, DealState deal, long stageId, CancellationToken ct)
    {
        var to = await StageRow.FindAsync(w.Connection, w.Tx, stageId, ct);
        if (to is null)
        {
            return CrmResult<long>.NotFound("There is no such stage.");
        }
        if (deal.ClosedAt is not null)
        {
            return CrmResult<long>.Conflict($"The deal is closed ({deal.Outcome}); reopen it before moving it.");
        }
        if (to.PipelineId != deal.PipelineId && to.Semantic != "open")
        {
            return CrmResult<long>.Invalid("stageId", "A deal closes on a won or lost stage of its own pipeline.");
        }
        if (to.Semantic == "won")
        {
            // Dropped on the kanban's won column: that is closing it won.
            await DealWrites.CloseAsync(w, deal, to, null, null, ct);
        }
        else if (to.Semantic == "lost")
        {
            if (await DealService.LostStagesAsync(w, deal.PipelineId, ct) < 2)
            {
                return CrmResult<long>.Invalid("stageId", $"Losing a deal needs a reason: POST /api/deals/{deal.Id}/close {{outcome: lost, lossReasonId}}.");
            }
            await DealWrites.CloseAsync(w, deal, to, null, to.Name, ct);
        }
        else
        {
            await DealWrites.MoveAsync(w, deal, to, ct);
        }
        return null;
    }
}
