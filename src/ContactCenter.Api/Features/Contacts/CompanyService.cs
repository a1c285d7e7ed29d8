using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Fields;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// Companies (issue #17): several contacts and deals hang on one. Visibility is <see cref="CompanyRef.Visible"/>; a company
/// the caller may not see answers exactly as a missing id.
/// </summary>
public sealed class CompanyService(NpgsqlDataSource db, TimeProvider clock, Shared.TypedPhones phones)
{
    private static readonly Dictionary<string, int> Limits = new() { ["name"] = 200, ["phone"] = 50, ["email"] = 254, ["website"] = 500, ["address"] = 1000 };

    public async Task<Page<CompanyListItem>> ListAsync(CurrentUser me, string? q, int limit, string? cursor, CancellationToken ct)
    {
        var before = DealQueries.ParseCursor(cursor);
        var search = ContactSearch.From(q);
        var sql = $"""
            select co.id, co.name, co.phone, co.email, co.website, co.created_at from companies co
            where {CompanyRef.Visible} and {ContactSearch.Matches("co")}
              and (@before::bigint is null or co.id < @before)
            order by co.id desc limit @take
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<CompanyListItem>(new CommandDefinition(sql, search.PageArgs(me, before, limit), cancellationToken: ct))).ToList();
        return DealQueries.ToPage(rows, limit, r => r, r => r.Id);
    }

    public async Task<CompanyDto?> GetAsync(CurrentUser me, long id, CancellationToken ct)
    {
        var sql = $"""
            select co.id, co.name, co.phone, co.email, co.website, co.address, co.created_at, co.fields::text as fields from companies co where co.id = @id and {CompanyRef.Visible};
            select {ContactDirectory.ListColumns} from contacts ct left join companies co on co.id = ct.company_id
            where ct.company_id = @id and {CrmAccess.ContactVisible} order by ct.id desc limit 200;
            select d.id, d.title, d.amount, d.currency, s.name as stage_name, d.outcome, u.name as assignee_name, d.created_at
            from deals d join stages s on s.id = d.stage_id left join users u on u.id = d.assignee_id
            where d.company_id = @id and {CrmAccess.DealVisible} order by d.id desc limit 200;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id, me = me.Id, staff = me.IsStaff }, cancellationToken: ct));
        var c = await grid.ReadSingleOrDefaultAsync<(long Id, string Name, string? Phone, string? Email, string? Website, string? Address, DateTime CreatedAt, string? Fields)>();
        if (c.Id == 0)
        {
            return null;
        }
        return new CompanyDto(c.Id, c.Name, c.Phone, c.Email, c.Website, c.Address, c.CreatedAt,
            (await grid.ReadAsync<ContactListItem>()).ToList(), (await grid.ReadAsync<ContactDealItem>()).ToList()) { Fields = FieldValues.Parse(c.Fields) };
    }

    public async Task<CrmResult<CompanyDto>> CreateAsync(CurrentUser me, CompanyInput body, CancellationToken ct)
    {
        if (Read(body, requireName: true, out var v) is { } invalid)
        {
            return invalid;
        }
        long id;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            // Required company fields must be sent on create; every value is checked before anything is written.
            var fields = FieldValues.Apply(await FieldValues.DefinitionsAsync(connection, null, "company", ct), null, body.Fields.Value,
                sent: body.Fields.IsPresent, creating: true, null);
            if (fields.Failed)
            {
                return CrmResult<CompanyDto>.Invalid(fields.Field!, fields.Error!);
            }
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into companies (name, phone, email, website, address, created_by, created_at, updated_at, fields)
                values (@name, @phone, @email, @website, @address, @me, @now, @now, @fields::jsonb) returning id
                """, new
            {
                fields = fields.Json,
                name = v.GetValueOrDefault("name"), phone = v.GetValueOrDefault("phone"), email = v.GetValueOrDefault("email"),
                website = v.GetValueOrDefault("website"), address = v.GetValueOrDefault("address"), me = me.Id, now = clock.GetUtcNow().UtcDateTime,
            }, cancellationToken: ct));
        }
        return CrmResult<CompanyDto>.Ok((await GetAsync(me, id, ct))!);
    }

    /// <summary>Only the fields present change; phone, email, website and address may be cleared with null or "".</summary>
    public async Task<CrmResult<CompanyDto>> PatchAsync(CurrentUser me, long id, CompanyInput body, CancellationToken ct)
    {
        if (body.SaysNothing)
        {
            return CrmResult<CompanyDto>.Invalid("body", "Send one or more of name, phone, email, website, address, fields.");
        }
        if (Read(body, requireName: false, out var v) is { } invalid)
        {
            return invalid;
        }
        var (fields, fieldsError) = body.Fields.IsPresent ? await FieldValues.CheckAsync(db, "company", body.Fields.Value, ct) : (null, null);
        if (fieldsError is not null)
        {
            return CrmResult<CompanyDto>.Invalid(fieldsError.Field!, fieldsError.Error!);
        }
        var sql = $"""
            update companies co set
                name = case when @setName then @name else co.name end,
                phone = case when @setPhone then @phone else co.phone end,
                email = case when @setEmail then @email else co.email end,
                website = case when @setWebsite then @website else co.website end,
                address = case when @setAddress then @address else co.address end,
                fields = case when @setFields then (co.fields - @removed::text[]) || @set::jsonb else co.fields end,
                updated_at = @now
            where co.id = @id and {CompanyRef.Visible}
            """;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition(sql, new
            {
                id, me = me.Id, staff = me.IsStaff, now = clock.GetUtcNow().UtcDateTime,
                setName = v.ContainsKey("name"), name = v.GetValueOrDefault("name"),
                setPhone = v.ContainsKey("phone"), phone = v.GetValueOrDefault("phone"),
                setEmail = v.ContainsKey("email"), email = v.GetValueOrDefault("email"),
                setWebsite = v.ContainsKey("website"), website = v.GetValueOrDefault("website"),
                setAddress = v.ContainsKey("address"), address = v.GetValueOrDefault("address"),
                setFields = fields is not null, set = fields?.Set ?? "{}", removed = fields?.Removed ?? [],
            }, cancellationToken: ct));
            if (changed == 0)
            {
                return CrmResult<CompanyDto>.NotFound("There is no such company.");
            }
        }
        return CrmResult<CompanyDto>.Ok((await GetAsync(me, id, ct))!);
    }

    /// <summary>Validates the fields present (strings or null, within their lengths; email and phone well-formed, phone in E.164).</summary>
    private CrmResult<CompanyDto>? Read(CompanyInput body, bool requireName, out Dictionary<string, string?> values)
    {
        values = [];
        if (body.Unknown is { Count: > 0 } unknown)
        {
            var key = unknown.Keys.First();
            return CrmResult<CompanyDto>.Invalid(key, $"Unknown field {key}: send name, phone, email, website, address, fields.");
        }
        foreach (var (key, sent) in body.Texts)
        {
            if (!sent.IsPresent)
            {
                continue;
            }
            var max = Limits[key];
            if (sent.IsMalformed)
            {
                return CrmResult<CompanyDto>.Invalid(key, $"{key} must be a string (or null).");
            }
            var text = sent.Value?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                text = null;
            }
            if (text is { Length: var length } && length > max)
            {
                return CrmResult<CompanyDto>.Invalid(key, $"{key} is at most {max} characters.");
            }
            if (key == "email" && text is not null && !Core.ContactAddresses.IsEmail(text))
            {
                return CrmResult<CompanyDto>.Invalid("email", "email must be an address like name@example.com (empty clears it).");
            }
            // A web address as people type it ("example.com") or with http(s); never another scheme (javascript:, data:)
            // that a link made of it would run.
            if (key == "website" && text is not null && text.Contains(':') && !(Uri.TryCreate(text, UriKind.Absolute, out var site) && site.Scheme is "http" or "https"))
            {
                return CrmResult<CompanyDto>.Invalid("website", "website must be a web address, like example.com or https://example.com (empty clears it).");
            }
            if (key == "phone" && text is not null && (text = phones.Normalize(text)) is null)
            {
                return CrmResult<CompanyDto>.Invalid("phone", "phone must be a valid number in international form, e.g. +14155550100 (empty clears it).");
            }
            values[key] = text;
        }
        if ((requireName || values.ContainsKey("name")) && values.GetValueOrDefault("name") is null)
        {
            return CrmResult<CompanyDto>.Invalid("name", "A name of 1 to 200 characters is required.");
        }
        return null;
    }
}
