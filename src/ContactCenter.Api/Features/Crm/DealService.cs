using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Fields;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>What people do to deals through REST (PATCH is <see cref="DealPatchService"/>): each change checks access, runs in one transaction, then pushes.</summary>
public sealed class DealService(CrmWriter crm, DealQueries queries, Shared.TypedPhones phones)
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
        if (ContactPick.Check(r.ContactId, r.Contact, required: false, phones) is { } badContact)
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
        return await ReadAsync(queries, await crm.RunAsync(Actor.User(me), async w =>
        {
            StageRow? stage;
            if (r.StageId is not null)
            {
                stage = await StageRow.FindAsync(w.Connection, w.Tx, r.StageId.Value, ct);
                if (stage is null || (r.PipelineId is not null && stage.PipelineId != r.PipelineId))
                {
                    return CrmResult<long>.NotFound("There is no such stage in that pipeline.");
                }
                if (!DealLifecycle.CanStartOn(stage))
                {
                    return CrmResult<long>.Invalid("stageId", "A new deal starts on an open stage.");
                }
            }
            else
            {
                stage = await StageRow.EntryAsync(w.Connection, w.Tx, r.PipelineId, ct);
                if (stage is null)
                {
                    return CrmResult<long>.NotFound("There is no such pipeline (or it has no open stage).");
                }
            }
            if (await CheckPeopleAsync(w.Connection, w.Tx, me, null, r.AssigneeId, ct) is { } invalid)
            {
                return invalid.As<long>();
            }
            var contact = await ContactPick.ResolveAsync(w.Connection, w.Tx, me, r.ContactId, r.Contact, phones, ct);
            if (contact.Status != CrmStatus.Ok)
            {
                return contact.As<long>();
            }
            // Same rule as PATCH (CompanyRef), answered like an unseen contact: a missing and a hidden company look alike.
            if (await Contacts.CompanyRef.CheckAsync(w.Connection, w.Tx, me, r.CompanyId, ct) is not null)
            {
                return CrmResult<long>.NotFound("There is no such company.");
            }
            var customFields = FieldValues.Apply(await FieldValues.DefinitionsAsync(w.Connection, w.Tx, "deal", ct), null, r.Fields, r.Fields is not null, creating: true, stage.PipelineId);
            if (customFields.Failed)
            {
                return CrmResult<long>.Invalid(customFields.Field!, customFields.Error!);
            }
            // A manager's own new deal is theirs unless they say otherwise, so they keep seeing it.
            var assignee = r.AssigneeId ?? (me.IsStaff ? null : me.Id);
            var id = (await DealWrites.InsertAsync(w, new NewDeal(stage.PipelineId, stage.Id, r.Title.Trim(), r.Amount ?? 0,
                r.Currency?.ToUpperInvariant(), contact.Value, assignee, r.Source ?? "manual"), ct))!.Value;
            await extras.Value.ApplyAsync(w.Connection, w.Tx, id, w.Actor, w.Now, ct);
            await FieldWrites.SetAsync(w.Connection, w.Tx, "deals", id, customFields.Json!, ct);
            if (r.CompanyId is not null)
            {
                await w.Connection.ExecuteAsync(new CommandDefinition("update deals set company_id = @companyId where id = @id",
                    new { id, companyId = r.CompanyId }, w.Tx, cancellationToken: ct));
            }
            return CrmResult<long>.Ok(id);
        }, ct), ct);
    }

    public async Task<CrmResult<DealDto>> CloseAsync(CurrentUser me, long id, CloseRequest r, CancellationToken ct)
    {
        if (DealLifecycle.CheckCloseRequest(r.Outcome, r.LossReasonId is not null, r.StageId is not null) is { } badRequest)
        {
            return badRequest.As<DealDto>();
        }
        return await ReadAsync(queries, await crm.RunAsync(Actor.User(me), async w =>
        {
            if (await LockVisibleAsync(w.Connection, w.Tx, me, id, ct) is not { } deal)
            {
                return CrmResult<long>.NotFound("There is no such deal.");
            }
            if (CrmAccess.CheckOwner(me, deal.AssigneeId, "deal") is { } owned)
            {
                return owned.As<long>();
            }
            var lifecycle = DealLifecycle.Of(deal);
            if (lifecycle.CheckClose() is { } closed)
            {
                return closed.As<long>();
            }
            string? reason = null;
            if (r.LossReasonId is not null && r.Outcome == "lost")
            {
                reason = await w.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                    "select name from loss_reasons where id = @id", new { id = r.LossReasonId }, w.Tx, cancellationToken: ct));
                if (reason is null)
                {
                    return CrmResult<long>.Invalid("lossReasonId", "There is no such loss reason.");
                }
            }
            StageRow? to;
            if (r.StageId is not null)
            {
                var named = await StageRow.FindAsync(w.Connection, w.Tx, r.StageId.Value, ct);
                if (lifecycle.CheckCloseStage(r.Outcome!, named) is { } badStage)
                {
                    return badStage.As<long>();
                }
                to = named!; // the check answers for a missing stage
            }
            else
            {
                to = await StageRow.FirstAsync(w.Connection, w.Tx, deal.PipelineId, r.Outcome!, ct);
                if (to is null)
                {
                    return CrmResult<long>.Conflict($"The deal's pipeline has no {r.Outcome} stage.");
                }
            }
            if (r.Outcome == "lost" && r.LossReasonId is null)
            {
                if (!DealLifecycle.LostStageNamesTheReason(await LostStagesAsync(w, deal.PipelineId, ct)))
                {
                    return CrmResult<long>.Invalid("lossReasonId", DealLifecycle.NeedsReason);
                }
                reason = to.Name;
            }
            await DealWrites.CloseAsync(w, deal, to, r.Outcome == "lost" ? r.LossReasonId : null, reason, ct);
            return CrmResult<long>.Ok(id);
        }, ct), ct);
    }

    public async Task<CrmResult<DealDto>> ReopenAsync(CurrentUser me, long id, ReopenRequest r, CancellationToken ct) =>
        await ReadAsync(queries, await crm.RunAsync(Actor.User(me), async w =>
        {
            if (await LockVisibleAsync(w.Connection, w.Tx, me, id, ct) is not { } deal)
            {
                return CrmResult<long>.NotFound("There is no such deal.");
            }
            if (CrmAccess.CheckOwner(me, deal.AssigneeId, "deal") is { } owned)
            {
                return owned.As<long>();
            }
            var lifecycle = DealLifecycle.Of(deal);
            if (lifecycle.CheckReopen() is { } open)
            {
                return open.As<long>();
            }
            StageRow? to;
            if (r.StageId is not null)
            {
                var named = await StageRow.FindAsync(w.Connection, w.Tx, r.StageId.Value, ct);
                if (lifecycle.CheckReopenStage(named) is { } badStage)
                {
                    return badStage.As<long>();
                }
                to = named!; // the check answers for a missing stage
            }
            else
            {
                to = await DealWrites.StageBeforeCloseAsync(w.Connection, w.Tx, id, ct) is { } before && before.PipelineId == deal.PipelineId
                    ? before
                    : await StageRow.EntryAsync(w.Connection, w.Tx, deal.PipelineId, ct);
                if (to is null)
                {
                    return CrmResult<long>.Conflict("The deal's pipeline has no open stage.");
                }
            }
            await DealWrites.ReopenAsync(w, deal, to, ct);
            return CrmResult<long>.Ok(id);
        }, ct), ct);

    /// <summary>
    /// The deal a change wrote, read back whether or not the caller still sees it: the creator may have handed it to a
    /// colleague (then they no longer see it), so the answer is what was made, as PATCH does.
    /// </summary>
    internal static async Task<CrmResult<DealDto>> ReadAsync(DealQueries queries, CrmResult<long> written, CancellationToken ct) =>
        written.Status == CrmStatus.Ok ? CrmResult<DealDto>.Ok((await queries.GetAnyAsync(written.Value, ct))!) : written.As<DealDto>();

    internal static Task<long> LostStagesAsync(CrmWrite w, long pipelineId, CancellationToken ct) =>
        w.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from stages where pipeline_id = @pipelineId and semantic = 'lost'", new { pipelineId }, w.Tx, cancellationToken: ct));

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

    internal static CrmResult<object>? CheckMoney(decimal? amount, string? currency) =>
        amount is < 0 or > 1_000_000_000_000_000m ? CrmResult<object>.Invalid("amount", "The amount must be between 0 and 10^15.")
        : currency is not null && !Currencies.IsKnown(currency) ? CrmResult<object>.Invalid("currency", "The currency is a 3-letter ISO 4217 code.")
        : null;
}
