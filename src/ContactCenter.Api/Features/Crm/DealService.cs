using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Fields;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>What people do to deals through REST: each change checks access, runs in one transaction, then pushes.</summary>
public sealed class DealService(NpgsqlDataSource db, DealQueries queries, CrmNotifier notifier, TimeProvider clock)
{
    public sealed record CreateRequest(string? Title, decimal? Amount, string? Currency, long? PipelineId, long? StageId, long? ContactId, long? AssigneeId, string? Source,
        LeadService.ContactInput? Contact = null, JsonNode? Products = null, JsonNode? AmountFromProducts = null, JsonNode? SourceDetails = null)
    {
        /// <summary>Custom field values {key: value} (issue #17).</summary>
        public JsonObject? Fields { get; init; }

        /// <summary>The company of the deal (issue #17): one the caller sees, else 404 as for a contact.</summary>
        public long? CompanyId { get; init; }
    }

    public sealed record CloseRequest(string? Outcome, long? LossReasonId, long? StageId);

    public sealed record ReopenRequest(long? StageId);

    public async Task<CrmResult<DealDto>> CreateAsync(CurrentUser me, CreateRequest r, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(r.Title) || r.Title.Length > 500)
        {
            return CrmResult<DealDto>.Invalid("title", "A title of at most 500 characters is required.");
        }
        if (CheckMoney(r.Amount, r.Currency) is { } bad)
        {
            return bad.As<DealDto>();
        }
        if (ContactPick.Check(r.ContactId, r.Contact, required: false) is { } badContact)
        {
            return badContact.As<DealDto>();
        }
        if (r.CompanyId is <= 0)
        {
            return CrmResult<DealDto>.Invalid("companyId", "companyId is the id of a company (or null for none).");
        }
        var extras = DealExtras.Parse(r.Products, r.AmountFromProducts, r.AmountFromProducts is not null, r.SourceDetails, r.SourceDetails is not null);
        if (extras.Value is null)
        {
            return extras.As<DealDto>();
        }
        var changes = new CrmChanges();
        long id;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            StageRow? stage;
            if (r.StageId is not null)
            {
                stage = await StageRow.FindAsync(connection, tx, r.StageId.Value, ct);
                if (stage is null || (r.PipelineId is not null && stage.PipelineId != r.PipelineId))
                {
                    return CrmResult<DealDto>.NotFound("There is no such stage in that pipeline.");
                }
                if (stage.Semantic != "open")
                {
                    return CrmResult<DealDto>.Invalid("stageId", "A new deal starts on an open stage.");
                }
            }
            else
            {
                stage = await StageRow.EntryAsync(connection, tx, r.PipelineId, ct);
                if (stage is null)
                {
                    return CrmResult<DealDto>.NotFound("There is no such pipeline (or it has no open stage).");
                }
            }
            if (await CheckPeopleAsync(connection, tx, me, null, r.AssigneeId, ct) is { } invalid)
            {
                return invalid.As<DealDto>();
            }
            var contact = await ContactPick.ResolveAsync(connection, tx, me, r.ContactId, r.Contact, ct);
            if (contact.Status != CrmStatus.Ok)
            {
                return contact.As<DealDto>();
            }
            // Same rule as PATCH (CompanyRef), answered like an unseen contact: a missing and a hidden company look alike.
            if (await Contacts.CompanyRef.CheckAsync(connection, tx, me, r.CompanyId, ct) is not null)
            {
                return CrmResult<DealDto>.NotFound("There is no such company.");
            }
            var customFields = FieldValues.Apply(await FieldValues.DefinitionsAsync(connection, tx, "deal", ct), null, r.Fields, r.Fields is not null, creating: true, stage.PipelineId);
            if (customFields.Failed)
            {
                return CrmResult<DealDto>.Invalid(customFields.Field!, customFields.Error!);
            }
            // A manager's own new deal is theirs unless they say otherwise, so they keep seeing it.
            var assignee = r.AssigneeId ?? (me.IsStaff ? null : me.Id);
            id = (await DealWrites.InsertAsync(connection, tx, new NewDeal(stage.PipelineId, stage.Id, r.Title.Trim(), r.Amount ?? 0,
                r.Currency?.ToUpperInvariant() ?? "USD", contact.Value, assignee, r.Source ?? "manual"), Actor.User(me), clock.GetUtcNow(), changes, ct))!.Value;
            await extras.Value.ApplyAsync(connection, tx, id, Actor.User(me), clock.GetUtcNow(), ct);
            await FieldWrites.SetAsync(connection, tx, "deals", id, customFields.Json!, ct);
            if (r.CompanyId is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition("update deals set company_id = @companyId where id = @id",
                    new { id, companyId = r.CompanyId }, tx, cancellationToken: ct));
            }
            await tx.CommitAsync(ct);
        }
        await notifier.FlushAsync(changes, ct);
        // The creator may have handed the deal to a colleague (then they no longer see it): answer with what was made, as PATCH does.
        return CrmResult<DealDto>.Ok((await queries.GetAnyAsync(id, ct))!);
    }

    /// <summary>PATCH: only the fields present change; `assigneeId: null` unassigns.</summary>
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
        if (CheckMoney(amount, currency) is { } bad)
        {
            return bad.As<DealDto>();
        }
        var extras = DealExtras.Parse(body);
        if (extras.Value is null)
        {
            return extras.As<DealDto>();
        }
        var changes = new CrmChanges();
        var now = clock.GetUtcNow();
        var actor = Actor.User(me);
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (await LockVisibleAsync(connection, tx, me, id, ct) is not { } deal)
            {
                return CrmResult<DealDto>.NotFound("There is no such deal.");
            }
            if (await Contacts.DealCompany.ApplyAsync(connection, tx, me, id, body, now, changes, ct) is { } badCompany)
            {
                return badCompany.As<DealDto>();
            }
            if (await CheckPeopleAsync(connection, tx, me, contactId, assigneeId, ct) is { } invalid)
            {
                return invalid.As<DealDto>();
            }
            FieldValues.Merge? customFields = null;
            if (body.ContainsKey("fields"))
            {
                customFields = FieldValues.Apply(await FieldValues.DefinitionsAsync(connection, tx, "deal", ct),
                    await FieldWrites.CurrentAsync(connection, tx, "deals", id, ct), body["fields"], sent: true, creating: false, deal.PipelineId);
                if (customFields.Failed)
                {
                    return CrmResult<DealDto>.Invalid(customFields.Field!, customFields.Error!);
                }
            }
            if (stageId is not null && stageId != deal.StageId)
            {
                var to = await StageRow.FindAsync(connection, tx, stageId.Value, ct);
                if (to is null)
                {
                    return CrmResult<DealDto>.NotFound("There is no such stage.");
                }
                if (deal.ClosedAt is not null)
                {
                    return CrmResult<DealDto>.Conflict($"The deal is closed ({deal.Outcome}); reopen it before moving it.");
                }
                if (to.PipelineId != deal.PipelineId && to.Semantic != "open")
                {
                    return CrmResult<DealDto>.Invalid("stageId", "A deal closes on a won or lost stage of its own pipeline.");
                }
                if (to.Semantic == "won")
                {
                    // Dropped on the kanban's won column: that is closing it won.
                    await DealWrites.CloseAsync(connection, tx, deal, to, null, null, actor, now, changes, ct);
                }
                else if (to.Semantic == "lost")
                {
                    var lostStages = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                        "select count(*) from stages where pipeline_id = @pipelineId and semantic = 'lost'", new { pipelineId = deal.PipelineId }, tx, cancellationToken: ct));
                    if (lostStages < 2)
                    {
                        return CrmResult<DealDto>.Invalid("stageId", $"Losing a deal needs a reason: POST /api/deals/{id}/close {{outcome: lost, lossReasonId}}.");
                    }
                    await DealWrites.CloseAsync(connection, tx, deal, to, null, to.Name, actor, now, changes, ct);
                }
                else
                {
                    await DealWrites.MoveAsync(connection, tx, deal, to, actor, now, changes, ct);
                }
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
                await FieldWrites.SetAsync(connection, tx, "deals", id, customFields.Json!, ct);
                fields["fields"] = body["fields"]!.DeepClone();
            }
            if (fields.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(update, new
                {
                    id, title = title?.Trim(), amount, currency = currency?.ToUpperInvariant(), setAssignee = body.ContainsKey("assigneeId"), assigneeId,
                    setContact = body.ContainsKey("contactId"), contactId, now = now.UtcDateTime,
                }, tx, cancellationToken: ct));
                await Timeline.AddAsync(connection, tx, null, id, "updated", actor, now, new { changes = fields }, ct);
                changes.Deals.Add(id);
                changes.Counters(deal.AssigneeId, body.ContainsKey("assigneeId") ? assigneeId : null);
            }
            if (await extras.Value.ApplyAsync(connection, tx, id, actor, now, ct))
            {
                changes.Deals.Add(id);
            }
            await tx.CommitAsync(ct);
        }
        await notifier.FlushAsync(changes, ct);
        // A manager who gave the deal away no longer sees it: answer with what they sent, not a 404.
        return CrmResult<DealDto>.Ok((await queries.GetAnyAsync(id, ct))!);
    }

    public async Task<CrmResult<DealDto>> CloseAsync(CurrentUser me, long id, CloseRequest r, CancellationToken ct)
    {
        if (r.Outcome is not ("won" or "lost"))
        {
            return CrmResult<DealDto>.Invalid("outcome", "outcome must be won or lost.");
        }
        const string needsReason = "A lost deal needs a loss reason: lossReasonId (see GET /api/loss-reasons), or the stageId of one of its pipeline's several lost stages.";
        if (r.Outcome == "lost" && r.LossReasonId is null && r.StageId is null)
        {
            return CrmResult<DealDto>.Invalid("lossReasonId", needsReason);
        }
        var changes = new CrmChanges();
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (await LockVisibleAsync(connection, tx, me, id, ct) is not { } deal)
            {
                return CrmResult<DealDto>.NotFound("There is no such deal.");
            }
            if (deal.ClosedAt is not null)
            {
                return CrmResult<DealDto>.Conflict($"The deal is already closed ({deal.Outcome}); reopen it first.");
            }
            string? reason = null;
            if (r.LossReasonId is not null && r.Outcome == "lost")
            {
                reason = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                    "select name from loss_reasons where id = @id", new { id = r.LossReasonId }, tx, cancellationToken: ct));
                if (reason is null)
                {
                    return CrmResult<DealDto>.Invalid("lossReasonId", "There is no such loss reason.");
                }
            }
            StageRow? to;
            if (r.StageId is not null)
            {
                to = await StageRow.FindAsync(connection, tx, r.StageId.Value, ct);
                if (to is null || to.PipelineId != deal.PipelineId)
                {
                    return CrmResult<DealDto>.NotFound("There is no such stage in the deal's pipeline.");
                }
                if (to.Semantic != r.Outcome)
                {
                    return CrmResult<DealDto>.Invalid("stageId", $"'{to.Name}' is not a {r.Outcome} stage.");
                }
            }
            else
            {
                to = await StageRow.FirstAsync(connection, tx, deal.PipelineId, r.Outcome, ct);
                if (to is null)
                {
                    return CrmResult<DealDto>.Conflict($"The deal's pipeline has no {r.Outcome} stage.");
                }
            }
            if (r.Outcome == "lost" && r.LossReasonId is null)
            {
                // Several lost stages are reasons themselves ("Lost: price", "Lost: competitor"); a single one is not.
                var lostStages = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "select count(*) from stages where pipeline_id = @pipelineId and semantic = 'lost'", new { pipelineId = deal.PipelineId }, tx, cancellationToken: ct));
                if (lostStages < 2)
                {
                    return CrmResult<DealDto>.Invalid("lossReasonId", needsReason);
                }
                reason = to.Name;
            }
            await DealWrites.CloseAsync(connection, tx, deal, to, r.Outcome == "lost" ? r.LossReasonId : null, reason, Actor.User(me), clock.GetUtcNow(), changes, ct);
            await tx.CommitAsync(ct);
        }
        await notifier.FlushAsync(changes, ct);
        // The creator may have handed the deal to a colleague (then they no longer see it): answer with what was made, as PATCH does.
        return CrmResult<DealDto>.Ok((await queries.GetAnyAsync(id, ct))!);
    }

    public async Task<CrmResult<DealDto>> ReopenAsync(CurrentUser me, long id, ReopenRequest r, CancellationToken ct)
    {
        var changes = new CrmChanges();
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (await LockVisibleAsync(connection, tx, me, id, ct) is not { } deal)
            {
                return CrmResult<DealDto>.NotFound("There is no such deal.");
            }
            if (deal.ClosedAt is null)
            {
                return CrmResult<DealDto>.Conflict("The deal is open.");
            }
            StageRow? to;
            if (r.StageId is not null)
            {
                to = await StageRow.FindAsync(connection, tx, r.StageId.Value, ct);
                if (to is null || to.PipelineId != deal.PipelineId)
                {
                    return CrmResult<DealDto>.NotFound("There is no such stage in the deal's pipeline.");
                }
                if (to.Semantic != "open")
                {
                    return CrmResult<DealDto>.Invalid("stageId", "A reopened deal goes to an open stage.");
                }
            }
            else
            {
                to = await DealWrites.StageBeforeCloseAsync(connection, tx, id, ct) is { } before && before.PipelineId == deal.PipelineId
                    ? before
                    : await StageRow.EntryAsync(connection, tx, deal.PipelineId, ct);
                if (to is null)
                {
                    return CrmResult<DealDto>.Conflict("The deal's pipeline has no open stage.");
                }
            }
            await DealWrites.ReopenAsync(connection, tx, deal, to, Actor.User(me), clock.GetUtcNow(), changes, ct);
            await tx.CommitAsync(ct);
        }
        await notifier.FlushAsync(changes, ct);
        // The creator may have handed the deal to a colleague (then they no longer see it): answer with what was made, as PATCH does.
        return CrmResult<DealDto>.Ok((await queries.GetAnyAsync(id, ct))!);
    }

    /// <summary>Locks the deal when the user may see it; null otherwise (treated as not found).</summary>
    internal static Task<DealState?> LockVisibleAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CurrentUser me, long id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<DealState>(new CommandDefinition($"""
            select d.id, d.pipeline_id, d.stage_id, d.title, d.assignee_id, d.contact_id, d.closed_at, d.outcome
            from deals d where d.id = @id and {CrmAccess.DealVisible} for no key update of d
            """, new { id, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));

    /// <summary>
    /// A contact the caller may not see (CrmAccess.ContactVisible) answers exactly as one that does not exist (404, as an
    /// unknown stage or pipeline does): attaching it would show its details in the answer and pull its conversations'
    /// messages into the caller's timeline.
    /// </summary>
    internal static async Task<CrmResult<object>?> CheckPeopleAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CurrentUser me, long? contactId, long? assigneeId, CancellationToken ct)
    {
        var (contactOk, assigneeOk) = await connection.QuerySingleAsync<(bool, bool)>(new CommandDefinition($"""
            select @contactId::bigint is null or exists (select 1 from contacts ct where ct.id = @contactId and {CrmAccess.ContactVisible}),
                   @assigneeId::bigint is null or exists (select 1 from users where id = @assigneeId and is_active)
            """, new { contactId, assigneeId, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
        return !contactOk ? CrmResult<object>.NotFound("There is no such contact.")
            : !assigneeOk ? CrmResult<object>.Invalid("assigneeId", "There is no such active user.")
            : null;
    }

    private static CrmResult<object>? CheckMoney(decimal? amount, string? currency) =>
        amount is < 0 or > 1_000_000_000_000_000m ? CrmResult<object>.Invalid("amount", "The amount must be between 0 and 10^15.")
        : currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetter)) ? CrmResult<object>.Invalid("currency", "The currency is a 3-letter ISO 4217 code.")
        : null;
}
