using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The card-page parts of a lead write (its configurable status, its structured source): parsed before the transaction,
/// checked and applied inside the caller's, so a bad status id changes nothing.
/// </summary>
public sealed class LeadCardWrites
{
    private long? StatusId { get; init; }

    private bool SetStatus { get; init; }

    private string? SourceDetails { get; init; }

    private bool SetSource { get; init; }

    public bool IsEmpty => !SetStatus && !SetSource;

    public static CrmResult<LeadCardWrites> Parse(long? statusId, bool hasStatus, JsonNode? sourceDetails, bool hasSource)
    {
        string? source = null;
        if (hasSource && sourceDetails is not null)
        {
            var parsed = DealExtras.Parse(null, null, false, sourceDetails, true);
            if (parsed.Value is null)
            {
                return parsed.As<LeadCardWrites>();
            }
            source = parsed.Value.SourceDetails;
        }
        return CrmResult<LeadCardWrites>.Ok(new LeadCardWrites { StatusId = statusId, SetStatus = hasStatus, SourceDetails = source, SetSource = hasSource });
    }

    public static CrmResult<LeadCardWrites> Parse(LeadPatch patch) =>
        patch.StatusId.IsMalformed
            ? CrmResult<LeadCardWrites>.Invalid("statusId", "statusId is a lead status id (GET /api/lead-statuses) or null.")
            : Parse(patch.StatusId.Value, patch.StatusId.IsPresent, patch.SourceDetails.Value, patch.SourceDetails.IsPresent);

    /// <summary>An unknown or archived status is a 400 (a list value, as a loss reason is).</summary>
    public async Task<CrmResult<object>?> CheckAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        StatusId is { } id && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from lead_statuses where id = @id and archived_at is null)", new { id }, tx, cancellationToken: ct))
            ? CrmResult<object>.Invalid("statusId", "There is no such lead status (GET /api/lead-statuses).")
            : null;

    public async Task<bool> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long leadId, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        if (IsEmpty)
        {
            return false;
        }
        // A status picked on a new lead means someone works it.
        await connection.ExecuteAsync(new CommandDefinition("""
            update leads set
                status_id = case when @setStatus then @statusId else status_id end,
                status = case when @setStatus and @statusId::bigint is not null and status = 'new' then 'in_work' else status end,
                source_details = case when @setSource then @source::jsonb else source_details end,
                updated_at = @now
            where id = @leadId
            """, new { leadId, setStatus = SetStatus, statusId = StatusId, setSource = SetSource, source = SourceDetails, now = now.UtcDateTime },
            tx, cancellationToken: ct));
        var data = new Dictionary<string, object?>();
        if (SetStatus)
        {
            data["statusId"] = StatusId;
        }
        if (SetSource)
        {
            data["sourceDetails"] = "changed";
        }
        await Timeline.AddAsync(connection, tx, leadId, null, "updated", actor, now, new { changes = data }, ct);
        return true;
    }
}
