using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Fields;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>What people do to leads through REST: create, edit, qualify (convert into a deal) or junk.</summary>
public sealed class LeadService(CrmWriter crm, LeadQueries queries, Shared.TypedPhones phones)
{
    public sealed record ContactInput(string? Name, string? Email, string? Phone, long? Id = null);

    public sealed record CreateRequest(string? Title, long? ContactId, ContactInput? Contact, long? AssigneeId, string? Source,
        long? StatusId = null, JsonNode? SourceDetails = null)
    {
        /// <summary>Custom field values {key: value} (issue #17).</summary>
        public JsonObject? Fields { get; init; }
    }

    public sealed record ConvertRequest(long? PipelineId, long? StageId, string? Title, decimal? Amount, string? Currency, long? AssigneeId);

    public sealed record ConvertResult(long DealId, long ContactId);

    public sealed record JunkRequest(string? Reason, long? JunkReasonId = null);

    public async Task<CrmResult<LeadDto>> CreateAsync(CurrentUser me, CreateRequest r, CancellationToken ct)
    {
        if (ContactPick.Check(r.ContactId, r.Contact, required: true, phones) is { } badContact)
        {
            return badContact.As<LeadDto>();
        }
        var extras = LeadCardWrites.Parse(r.StatusId, r.StatusId is not null, r.SourceDetails, r.SourceDetails is not null);
        if (extras.Value is null)
        {
            return extras.As<LeadDto>();
        }
        if (r.Title is { Length: > 500 })
        {
            return CrmResult<LeadDto>.Invalid("title", "The title is at most 500 characters.");
        }
        return await ReadAsync(me, await crm.RunAsync(Actor.User(me), async w =>
        {
            if (await DealService.CheckPeopleAsync(w.Connection, w.Tx, me, null, r.AssigneeId, ct) is { } invalid)
            {
                return invalid.As<long>();
            }
            var customFields = FieldValues.Apply(await FieldValues.DefinitionsAsync(w.Connection, w.Tx, "lead", ct), null, r.Fields, r.Fields is not null, creating: true, null);
            if (customFields.Failed)
            {
                return CrmResult<long>.Invalid(customFields.Field!, customFields.Error!);
            }
            if (await extras.Value.CheckAsync(w.Connection, w.Tx, ct) is { } badStatus)
            {
                return badStatus.As<long>();
            }
            var picked = await ContactPick.ResolveAsync(w.Connection, w.Tx, me, r.ContactId, r.Contact, phones, ct);
            if (picked.Status != CrmStatus.Ok)
            {
                return picked.As<long>();
            }
            var contactId = picked.Value!.Value;
            var title = string.IsNullOrWhiteSpace(r.Title)
                ? await w.Connection.ExecuteScalarAsync<string>(new CommandDefinition(
                    "select coalesce(name, email, phone, 'Contact ' || id) from contacts where id = @contactId", new { contactId }, w.Tx, cancellationToken: ct))
                : r.Title.Trim();
            var assignee = r.AssigneeId ?? (me.IsStaff ? null : me.Id);
            var id = await LeadWrites.InsertAsync(w, new NewLead(contactId, title!, assignee, r.Source ?? "manual", new { source = r.Source ?? "manual" }), ct);
            await extras.Value.ApplyAsync(w.Connection, w.Tx, id, w.Actor, w.Now, ct);
            await FieldWrites.SetAsync(w.Connection, w.Tx, "leads", id, customFields.Json!, ct);
            return CrmResult<long>.Ok(id);
        }, ct), ct);
    }

    /// <summary>PATCH {title?, assigneeId?, status?: new|in_work}. Assigning a new lead puts it in work.</summary>
    public async Task<CrmResult<LeadDto>> PatchAsync(CurrentUser me, long id, LeadPatch patch, CancellationToken ct)
    {
        if (patch.Unknown?.Keys.FirstOrDefault() is { } unknown)
        {
            return CrmResult<LeadDto>.Invalid(unknown, $"Unknown field {unknown}: it takes title, status, assigneeId, statusId, fields, sourceDetails.");
        }
        if (patch.HasMalformedField)
        {
            return CrmResult<LeadDto>.Invalid("body", "title and status are strings; assigneeId is a number.");
        }
        var title = patch.Title.Value;
        var status = patch.Status.Value;
        var assigneeId = patch.AssigneeId.Value;
        if (patch.Title.IsSet && (string.IsNullOrWhiteSpace(title) || title.Length > 500))
        {
            return CrmResult<LeadDto>.Invalid("title", "A title of at most 500 characters is required.");
        }
        if (LeadLifecycle.CheckStatusRequest(status) is { } badStatusName)
        {
            return badStatusName.As<LeadDto>();
        }
        var extras = LeadCardWrites.Parse(patch);
        if (extras.Value is null)
        {
            return extras.As<LeadDto>();
        }
        return await ReadAsync(me, await crm.RunAsync(Actor.User(me), async w =>
        {
            if (await LockVisibleAsync(w.Connection, w.Tx, me, id, ct) is not { } lead)
            {
                return CrmResult<long>.NotFound("There is no such lead.");
            }
            if (CrmAccess.CheckOwner(me, lead.AssigneeId, "lead") is { } owned)
            {
                return owned.As<long>();
            }
            var lifecycle = LeadLifecycle.Of(lead);
            if (lifecycle.CheckEdit() is { } ended)
            {
                return ended.As<long>();
            }
            if (await DealService.CheckPeopleAsync(w.Connection, w.Tx, me, null, assigneeId, ct) is { } invalid)
            {
                return invalid.As<long>();
            }
            if (await extras.Value.CheckAsync(w.Connection, w.Tx, ct) is { } badStatus)
            {
                return badStatus.As<long>();
            }
            if (patch.Fields.IsPresent)
            {
                var customFields = FieldValues.Apply(await FieldValues.DefinitionsAsync(w.Connection, w.Tx, "lead", ct),
                    await FieldWrites.CurrentAsync(w.Connection, w.Tx, "leads", id, ct), patch.Fields.Value, sent: true, creating: false, null);
                if (customFields.Failed)
                {
                    return CrmResult<long>.Invalid(customFields.Field!, customFields.Error!);
                }
                await FieldWrites.SetAsync(w.Connection, w.Tx, "leads", id, customFields.Json!, ct);
            }
            var setAssignee = patch.AssigneeId.IsSet;
            var newStatus = lifecycle.StatusAfterEdit(status, setAssignee, assigneeId);
            // What the request set (as a deal's entry lists it), and the status when it moved (an assignment takes a new lead in work).
            var changes = new Dictionary<string, object?>();
            if (patch.Title.IsSet) { changes["title"] = title?.Trim(); }
            if (patch.Status.IsSet || newStatus != lead.Status) { changes["status"] = newStatus; }
            if (setAssignee) { changes["assigneeId"] = assigneeId; }
            if (patch.Fields.IsPresent) { changes["fields"] = patch.Fields.Value?.DeepClone(); }
            // Only a status or source sent (the card's own writes, below), or nothing at all (`{}`): no empty "updated" entry
            // and no new updatedAt, as for a deal.
            var changed = changes.Count > 0;
            if (changed)
            {
                await w.Connection.ExecuteAsync(new CommandDefinition("""
                    update leads set title = coalesce(@title, title), status = @newStatus,
                           assignee_id = case when @setAssignee then @assigneeId else assignee_id end, updated_at = @now
                    where id = @id
                    """, new { id, title = title?.Trim(), newStatus, setAssignee, assigneeId, now = w.Now.UtcDateTime }, w.Tx, cancellationToken: ct));
                await Timeline.AddAsync(w, id, null, "updated", new { changes }, ct);
            }
            if (await extras.Value.ApplyAsync(w.Connection, w.Tx, id, w.Actor, w.Now, ct) || changed)
            {
                w.Changes.Leads.Add(id);
            }
            if (setAssignee)
            {
                w.Changes.HandedOver(deal: false, id, lead.AssigneeId, assigneeId);
            }
            return CrmResult<long>.Ok(id);
        }, ct), ct);
    }

    public async Task<CrmResult<ConvertResult>> ConvertAsync(CurrentUser me, long id, ConvertRequest r, CancellationToken ct)
    {
        // The deal's own checks (range and cents, a 3-letter currency): a convert past them overflowed into a 500.
        if (DealService.CheckMoney(r.Amount, r.Currency) is { } badMoney)
        {
            return badMoney.As<ConvertResult>();
        }
        return await crm.RunAsync(Actor.User(me), async w =>
        {
            if (await LockVisibleAsync(w.Connection, w.Tx, me, id, ct) is not { } lead)
            {
                return CrmResult<ConvertResult>.NotFound("There is no such lead.");
            }
            if (CrmAccess.CheckOwner(me, lead.AssigneeId, "lead") is { } owned)
            {
                return owned.As<ConvertResult>();
            }
            if (LeadLifecycle.Of(lead).CheckEnd() is { } ended)
            {
                return ended.As<ConvertResult>();
            }
            var stage = r.StageId is not null ? await StageRow.FindAsync(w.Connection, w.Tx, r.StageId.Value, ct) : await StageRow.EntryAsync(w.Connection, w.Tx, r.PipelineId, ct);
            if (stage is null || (r.PipelineId is not null && stage.PipelineId != r.PipelineId))
            {
                return CrmResult<ConvertResult>.NotFound("There is no such pipeline or stage.");
            }
            if (!DealLifecycle.CanStartOn(stage))
            {
                return CrmResult<ConvertResult>.Invalid("stageId", "A converted lead's deal starts on an open stage.");
            }
            if (await DealService.CheckPeopleAsync(w.Connection, w.Tx, me, null, r.AssigneeId, ct) is { } invalid)
            {
                return invalid.As<ConvertResult>();
            }
            var assignee = r.AssigneeId ?? lead.AssigneeId ?? (me.IsStaff ? null : me.Id);
            var dealId = await LeadWrites.ConvertAsync(w, lead,
                new LeadConversion(stage, r.Title, r.Amount ?? 0, r.Currency?.ToUpperInvariant(), assignee), ct);
            return CrmResult<ConvertResult>.Ok(new ConvertResult(dealId, lead.ContactId));
        }, ct);
    }

    public async Task<CrmResult<LeadDto>> JunkAsync(CurrentUser me, long id, JunkRequest r, CancellationToken ct)
    {
        if (LeadLifecycle.CheckJunkRequest(r.JunkReasonId, r.Reason) is { } noReason)
        {
            return noReason.As<LeadDto>();
        }
        return await ReadAsync(me, await crm.RunAsync(Actor.User(me), async w =>
        {
            if (await LockVisibleAsync(w.Connection, w.Tx, me, id, ct) is not { } lead)
            {
                return CrmResult<long>.NotFound("There is no such lead.");
            }
            if (CrmAccess.CheckOwner(me, lead.AssigneeId, "lead") is { } owned)
            {
                return owned.As<long>();
            }
            if (LeadLifecycle.Of(lead).CheckEnd() is { } ended)
            {
                return ended.As<long>();
            }
            var reason = string.IsNullOrWhiteSpace(r.Reason) ? null : r.Reason.Trim();
            if (r.JunkReasonId is not null)
            {
                var name = await w.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                    "select name from junk_reasons where id = @junkReasonId and archived_at is null", new { r.JunkReasonId }, w.Tx, cancellationToken: ct));
                if (name is null)
                {
                    return CrmResult<long>.Invalid("junkReasonId", "There is no such junk reason (GET /api/junk-reasons).");
                }
                reason ??= name;
            }
            await w.Connection.ExecuteAsync(new CommandDefinition(
                "update leads set status = 'junk', junk_reason = @reason, junk_reason_id = @junkReasonId, updated_at = @now where id = @id",
                new { id, reason, r.JunkReasonId, now = w.Now.UtcDateTime }, w.Tx, cancellationToken: ct));
            await Timeline.AddAsync(w, id, null, "junked", new { reason, junkReasonId = r.JunkReasonId }, ct);
            w.Changes.Leads.Add(id);
            w.Changes.Counters(lead.AssigneeId);
            return CrmResult<long>.Ok(id);
        }, ct), ct);
    }

    /// <summary>The lead a change wrote, read back after its pushes.</summary>
    /// <summary>
    /// The lead as the caller reads it (GET's copy: an admin's shows its source conversation, which the copy for anyone
    /// hid), or, when the write took it out of their sight (handed to a colleague), the copy for anyone.
    /// </summary>
    private async Task<CrmResult<LeadDto>> ReadAsync(CurrentUser me, CrmResult<long> written, CancellationToken ct) =>
        written.Status == CrmStatus.Ok
            ? CrmResult<LeadDto>.Ok((await queries.GetAsync(me, written.Value, ct) ?? await queries.GetAsync(written.Value, ct))!)
            : written.As<LeadDto>();

    internal static Task<LeadState?> LockVisibleAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CurrentUser me, long id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<LeadState>(new CommandDefinition($"""
            select l.id, l.contact_id, l.title, l.status, l.source, l.assignee_id, l.deal_id
            from leads l where l.id = @id and {CrmAccess.LeadVisible} for no key update of l
            """, new { id, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
}
