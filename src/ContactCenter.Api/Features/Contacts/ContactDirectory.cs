using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// The contacts list (keyset on id, newest first, searchable), contacts made by hand, and a contact's timeline. Every
/// read passes <see cref="CrmAccess.ContactVisible"/>: a manager lists only the people they could open.
/// </summary>
public sealed class ContactDirectory(NpgsqlDataSource db, ContactProfileService profiles, TimeProvider clock, Shared.TypedPhones phones)
{
    public sealed record CreateRequest(string? Name, string? Email, string? Phone, long? CompanyId);

    internal const string ListColumns = """
        ct.id, coalesce(ct.name, ct.email, ct.phone, 'Contact ' || ct.id) as name, ct.email, ct.phone, ct.company_id, co.name as company_name, ct.created_at
        """;

    public async Task<Page<ContactListItem>> ListAsync(CurrentUser me, string? q, int limit, string? cursor, CancellationToken ct)
    {
        var before = DealQueries.ParseCursor(cursor);
        var search = ContactSearch.From(q);
        var sql = $"""
            select {ListColumns}
            from contacts ct left join companies co on co.id = ct.company_id
            where {CrmAccess.ContactVisible} and {ContactSearch.Matches("ct")}
              and (@before::bigint is null or ct.id < @before)
            order by ct.id desc limit @take
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<ContactListItem>(new CommandDefinition(sql, search.PageArgs(me, before, limit), cancellationToken: ct))).ToList();
        return DealQueries.ToPage(rows, limit, r => r, r => r.Id);
    }

    /// <summary>A contact made by hand (a business card, a cold call): it is the creator's until a conversation, lead or deal links it.</summary>
    public async Task<CrmResult<ContactProfile>> CreateAsync(CurrentUser me, CreateRequest r, CancellationToken ct)
    {
        var name = r.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            return CrmResult<ContactProfile>.Invalid("name", "A name of 1 to 200 characters is required.");
        }
        var email = string.IsNullOrWhiteSpace(r.Email) ? null : r.Email.Trim();
        if (email is not null && !Core.ContactAddresses.IsEmail(email))
        {
            return CrmResult<ContactProfile>.Invalid("email", "email must be an address like name@example.com.");
        }
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(r.Phone) && (phone = phones.Normalize(r.Phone)) is null)
        {
            return CrmResult<ContactProfile>.Invalid("phone", "phone must be a valid number in international form, e.g. +14155550100.");
        }
        if (r.CompanyId is <= 0)
        {
            return CrmResult<ContactProfile>.Invalid("companyId", "companyId is the id of a company.");
        }
        long id;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            if (await CompanyRef.CheckAsync(connection, null, me, r.CompanyId, ct) is { } unknown)
            {
                return unknown.As<ContactProfile>();
            }
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into contacts (name, email, phone, company_id, created_by, created_at, updated_at)
                values (@name, @email, @phone, @companyId, @me, @now, @now) returning id
                """, new { name, email, phone, r.CompanyId, me = me.Id, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        }
        return CrmResult<ContactProfile>.Ok((await profiles.GetAsync(me, id, ct))!);
    }

    /// <summary>
    /// One feed for a person: the entries of their leads and deals the caller sees (message entries by the conversation
    /// rule, as on a deal's own timeline) and the contact's own entries (merges). Null when the caller may not see the contact.
    /// </summary>
    public async Task<Page<TimelineEntryDto>?> TimelineAsync(CurrentUser me, long id, int limit, string? cursor, CancellationToken ct)
    {
        var before = DealQueries.ParseCursor(cursor);
        var sql = $"""
            {TimelineService.Select}
            where (t.contact_id = @id
                   or t.lead_id in (select l.id from leads l where l.contact_id = @id and {CrmAccess.LeadVisible})
                   or t.deal_id in (select d.id from deals d where d.contact_id = @id and {CrmAccess.DealVisible}))
              and {CrmAccess.TimelineEntryVisible}
              and (@before::bigint is null or t.id < @before)
            order by t.id desc limit @take
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        // The check and the entries in one snapshot: a contact taken out of sight after the check showed what came after.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"select exists (select 1 from contacts ct where ct.id = @id and {CrmAccess.ContactVisible})",
            new { id, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct)))
        {
            return null;
        }
        var rows = (await connection.QueryAsync<TimelineService.Row>(new CommandDefinition(sql, new
        {
            id, me = me.Id, staff = me.IsStaff, before, take = limit + 1,
        }, tx, cancellationToken: ct))).ToList();
        return DealQueries.ToPage(rows, limit, r => r.ToDto(), r => r.Id);
    }
}
