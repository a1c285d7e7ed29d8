using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Contacts;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Fields;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Imports;

/// <summary>What became of one row.</summary>
public sealed record ImportRowResult(string Outcome, string? Error = null, long? ContactId = null, long? LeadId = null)
{
    public static ImportRowResult Refused(string error) => new("refused", error);
}

/// <summary>
/// One CSV row into the CRM, inside the caller's transaction. Dedupe: a contact the importer sees with the same email
/// (lower-cased) or, failing that, the same phone (E.164) takes the row ("merged": its empty fields are filled);
/// otherwise a new contact is made, the importer's ("created"). A match the importer may not see is not revealed: the
/// row makes a new contact kept as its possible duplicate, to merge by hand. A lead import also opens a lead per row.
/// </summary>
public sealed class ImportRowWriter(CurrentUser importer, string entity, IReadOnlyDictionary<string, int> map, long importId, Shared.TypedPhones phones)
{
    private const int MaxName = 200;

    /// <summary>The custom fields the map's `field.<key>` columns fill.</summary>
    public ImportFields Fields { get; init; } = ImportFields.None;

    private string? Field(string[] record, string key) =>
        map.TryGetValue(key, out var i) && i < record.Length && !string.IsNullOrWhiteSpace(record[i]) ? record[i].Trim() : null;

    public async Task<ImportRowResult> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string[] record, DateTimeOffset now, CrmChanges changes, CancellationToken ct)
    {
        var name = Field(record, "name");
        var emailText = Field(record, "email");
        var phoneText = Field(record, "phone");
        var company = Field(record, "company");
        var title = Field(record, "title");
        if (name is null && emailText is null && phoneText is null)
        {
            return ImportRowResult.Refused("The row has no name, email or phone.");
        }
        if (name is { Length: > MaxName })
        {
            return ImportRowResult.Refused($"The name is longer than {MaxName} characters.");
        }
        var email = emailText?.ToLowerInvariant();
        if (email is not null && !Core.ContactAddresses.IsEmail(email))
        {
            return ImportRowResult.Refused($"\"{Clip(emailText!)}\" is not an email address.");
        }
        string? phone = null;
        if (phoneText is not null && (phone = phones.Normalize(phoneText)) is null)
        {
            return ImportRowResult.Refused($"\"{Clip(phoneText)}\" is not a phone number in international form (+country code).");
        }
        if (company is { Length: > MaxName } || title is { Length: > 500 })
        {
            return ImportRowResult.Refused(company is { Length: > MaxName } ? $"The company is longer than {MaxName} characters." : "The title is longer than 500 characters.");
        }
        var (contactFields, leadFields, fieldError) = Fields.Read(map, record);
        if (fieldError is not null)
        {
            return ImportRowResult.Refused(fieldError);
        }
        var p = new { email, phone, name, me = importer.Id, staff = importer.IsStaff, now = now.UtcDateTime, company };
        long? companyId = company is null ? null : await CompanyAsync(connection, tx, p, ct);

        var (seen, hidden) = await connection.QuerySingleAsync<(long? Seen, long? Hidden)>(new CommandDefinition($"""
            with matches as (
                select ct.id, coalesce({CrmAccess.ContactVisible}, false) as visible, (@email::text is not null and lower(ct.email) = @email) as by_email
                from contacts ct
                where (@email::text is not null and lower(ct.email) = @email) or (@phone::text is not null and ct.phone = @phone)
            )
            select (select id from matches where visible order by by_email desc, id limit 1),
                   (select id from matches where not visible order by by_email desc, id limit 1)
            """, p, tx, cancellationToken: ct));
        long contactId;
        string outcome;
        if (seen is { } existing)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                update contacts set name = coalesce(name, @name), email = coalesce(email, @email), phone = coalesce(phone, @phone),
                    company_id = coalesce(company_id, @companyId), fields = @set::jsonb || fields, updated_at = @now
                where id = @id
                """, new { id = existing, name, email, phone, companyId, set = contactFields?.Set ?? "{}", now = now.UtcDateTime }, tx, cancellationToken: ct));
            (contactId, outcome) = (existing, "merged");
        }
        else
        {
            contactId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into contacts (name, email, phone, company_id, created_by, possible_duplicate_of, created_at, updated_at, fields)
                values (@name, @email, @phone, @companyId, @me, @hidden, @now, @now, @set::jsonb) returning id
                """, new { name, email, phone, companyId, me = importer.Id, hidden, now = now.UtcDateTime, set = contactFields?.Set ?? "{}" }, tx, cancellationToken: ct));
            outcome = "created";
        }
        long? leadId = null;
        if (entity == "lead")
        {
            // A manager's imported lead is theirs (so they keep seeing it); staff leave theirs to be assigned.
            leadId = await LeadWrites.InsertAsync(new CrmWrite(connection, tx, Actor.User(importer), now, changes),
                new NewLead(contactId, title ?? ("Import: " + (name ?? email ?? phone)), importer.IsStaff ? null : importer.Id, "import", new { source = "import", importId }), ct);
            if (leadFields is not null)
            {
                await FieldWrites.SetAsync(connection, tx, "leads", leadId.Value, leadFields.Set, ct);
            }
        }
        return new ImportRowResult(outcome, null, contactId, leadId);
    }

    /// <summary>The company of that name the importer sees, else a new one of theirs.</summary>
    private static async Task<long> CompanyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, object p, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition($"""
            select co.id from companies co where lower(co.name collate "und-x-icu") = lower(@company collate "und-x-icu") and {CompanyRef.Visible}
            order by co.id limit 1
            """, p, tx, cancellationToken: ct))
        ?? await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into companies (name, created_by, created_at, updated_at) values (@company, @me, @now, @now) returning id
            """, p, tx, cancellationToken: ct));

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
