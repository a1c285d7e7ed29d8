using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>`companyId` in PATCH /api/deals/{id} (issue #17): links the (already locked, visible) deal to a company the caller sees.</summary>
public static class DealCompany
{
    /// <summary>Null when done or when the body does not name a company; else the 400 to answer (nothing written).</summary>
    public static async Task<CrmResult<object>?> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CurrentUser me, long dealId, Optional<long?> sent,
        DateTimeOffset now, CrmChanges changes, CancellationToken ct)
    {
        if (!sent.IsPresent)
        {
            return null;
        }
        if (CompanyRef.Parse(sent, out var companyId) is { } invalid)
        {
            return invalid;
        }
        if (await CompanyRef.CheckAsync(connection, tx, me, companyId, ct) is { } unknown)
        {
            return unknown;
        }
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "update deals set company_id = @companyId, updated_at = @now where id = @dealId and company_id is distinct from @companyId",
            new { dealId, companyId, now = now.UtcDateTime }, tx, cancellationToken: ct));
        if (changed > 0)
        {
            await Timeline.AddAsync(connection, tx, null, dealId, "updated", Actor.User(me), now, new { changes = new { companyId } }, ct);
            changes.Deals.Add(dealId);
        }
        return null;
    }
}
