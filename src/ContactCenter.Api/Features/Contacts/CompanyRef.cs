using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// `companyId` in a PATCH of a contact or a deal: a number (a company the caller sees) or null (no company). One rule for
/// both, so a manager can never link to — and so learn of — a company they cannot see.
/// </summary>
public static class CompanyRef
{
    /// <summary>Over alias `co` (companies): staff, its creator, or whoever sees one of its contacts or deals. Parameters: @me, @staff.</summary>
    public const string Visible = $"""
        (@staff or (co.created_by is not null and co.created_by = @me)
            or exists (select 1 from contacts ct where ct.company_id = co.id and {CrmAccess.ContactVisible})
            or exists (select 1 from deals d where d.company_id = co.id and {CrmAccess.DealVisible}))
        """;

    /// <summary>Reads a sent `companyId` (the caller asks <see cref="Optional{T}.IsPresent"/>); a string, an object or a non-positive number is a 400.</summary>
    public static CrmResult<object>? Parse(Optional<long?> sent, out long? companyId)
    {
        companyId = sent.IsMalformed || sent.Value is <= 0 ? null : sent.Value;
        return sent.IsMalformed || sent.Value is <= 0 ? CrmResult<object>.Invalid("companyId", NotAnId) : null;
    }

    private const string NotAnId = "companyId is the id of a company (or null for none).";

    /// <summary>
    /// A 404 when the company does not exist or the caller may not see it — the same answer for both, on create and on PATCH
    /// of contacts and deals alike, so the answer never tells a hidden company from a missing one.
    /// </summary>
    public static async Task<CrmResult<object>?> CheckAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CurrentUser me, long? companyId, CancellationToken ct)
    {
        if (companyId is null)
        {
            return null;
        }
        var seen = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"select exists (select 1 from companies co where co.id = @companyId and {Visible})",
            new { companyId, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
        return seen ? null : CrmResult<object>.NotFound("There is no such company.");
    }
}
