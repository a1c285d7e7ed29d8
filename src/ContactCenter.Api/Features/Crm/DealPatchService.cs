using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Fields;
using Dapper;

namespace ContactCenter.Api.Features.Crm;

/// <summary>PATCH of a deal: only the fields present change; `assigneeId: null` unassigns; a new stage moves or closes it.</summary>
public sealed class DealPatchService(CrmWriter crm, DealQueries queries)
{
    public async Task<CrmResult<DealDto>> PatchAsync(CurrentUser me, long id, DealPatch patch, CancellationToken ct)
    {
        if (patch.Unknown?.Keys.FirstOrDefault() is { } unknown)
        {
            return CrmResult<DealDto>.Invalid(unknown, $"Unknown field {unknown}: it takes title, amount, currency, stageId, assigneeId, contactId, companyId, fields, products, amountFromProducts, sourceDetails.");
        }
        if (patch.HasMalformedField)
        {
            return CrmResult<DealDto>.Invalid("body", "title and currency are strings; amount, stageId, assigneeId and contactId are numbers.");
        }
        var title = patch.Title.Value;
        var amount = patch.Amount.Value;
        var currency = patch.Currency.Value;
        var stageId = patch.StageId.Value;
        var assigneeId = patch.AssigneeId.Value;
        var contactId = patch.ContactId.Value;
        if (patch.Title.IsSet && (string.IsNullOrWhiteSpace(title) || title.Length > 500))
        {
            return CrmResult<DealDto>.Invalid("title", "A title of at most 500 characters is required.");
        }
        if (DealService.CheckMoney(amount, currency) is { } bad)
        {
            return bad.As<DealDto>();
        }
        var extras = DealExtras.Parse(patch);
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
            if (CrmAccess.CheckOwner(me, deal.AssigneeId, "deal") is { } owned)
            {
                return owned.As<long>();
            }
            if (await Contacts.DealCompany.ApplyAsync(w.Connection, w.Tx, me, id, patch.CompanyId, w.Now, w.Changes, ct) is { } badCompany)
            {
                return badCompany.As<long>();
            }
            if (await DealService.CheckPeopleAsync(w.Connection, w.Tx, me, contactId, assigneeId, ct) is { } invalid)
            {
                return invalid.As<long>();
            }
            FieldValues.Merge? customFields = null;
            if (patch.Fields.IsPresent)
            {
                customFields = FieldValues.Apply(await FieldValues.DefinitionsAsync(w.Connection, w.Tx, "deal", ct),
                    await FieldWrites.CurrentAsync(w.Connection, w.Tx, "deals", id, ct), patch.Fields.Value, sent: true, creating: false, deal.PipelineId);
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
            if (patch.Title.IsSet) { fields["title"] = title!.Trim(); }
            if (patch.Amount.IsSet) { fields["amount"] = amount; }
            if (patch.Currency.IsSet) { fields["currency"] = currency?.ToUpperInvariant(); }
            if (patch.AssigneeId.IsSet) { fields["assigneeId"] = assigneeId; }
            if (patch.ContactId.IsSet) { fields["contactId"] = contactId; }
            if (customFields is not null)
            {
                await FieldWrites.SetAsync(w.Connection, w.Tx, "deals", id, customFields.Json!, ct);
                fields["fields"] = patch.Fields.Value!.DeepClone();
            }
            if (fields.Count > 0)
            {
                await w.Connection.ExecuteAsync(new CommandDefinition(update, new
                {
                    id, title = title?.Trim(), amount, currency = currency?.ToUpperInvariant(), setAssignee = patch.AssigneeId.IsSet, assigneeId,
                    setContact = patch.ContactId.IsSet, contactId, now = w.Now.UtcDateTime,
                }, w.Tx, cancellationToken: ct));
                await Timeline.AddAsync(w, null, id, "updated", new { changes = fields }, ct);
                w.Changes.Deals.Add(id);
                w.Changes.Counters(deal.AssigneeId, patch.AssigneeId.IsSet ? assigneeId : null);
                if (patch.AssigneeId.IsSet)
                {
                    w.Changes.HandedOver(deal: true, id, deal.AssigneeId, assigneeId);
                }
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
        var lifecycle = DealLifecycle.Of(deal);
        if (lifecycle.CheckMove(to) is { } refused)
        {
            return refused.As<long>();
        }
        switch (DealLifecycle.MoveOutcome(to))
        {
            case "won":
                // Dropped on the kanban's won column: that is closing it won.
                await DealWrites.CloseAsync(w, deal, to, null, null, ct);
                break;
            case "lost":
                if (!DealLifecycle.LostStageNamesTheReason(await DealService.LostStagesAsync(w, deal.PipelineId, ct)))
                {
                    return CrmResult<long>.Invalid("stageId", $"Losing a deal needs a reason: POST /api/deals/{deal.Id}/close {{outcome: lost, lossReasonId}}.");
                }
                await DealWrites.CloseAsync(w, deal, to, null, to.Name, ct);
                break;
            default:
                await DealWrites.MoveAsync(w, deal, to, ct);
                break;
        }
        return null;
    }
}
