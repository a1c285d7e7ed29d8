using System.Text.Json;
using System.Text.RegularExpressions;
using ContactCenter.Api.Features.Crm;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Fields;

/// <summary>Definitions of custom fields (admin). Removing one also removes its values from every row of the entity.</summary>
public sealed partial class CustomFieldService(NpgsqlDataSource db)
{
    [GeneratedRegex("^[a-z][a-z0-9_]{0,49}$")]
    private static partial Regex Slug();

    /// <summary>The table holding each entity's values.</summary>
    private static string? TableOf(string entity) => entity switch
    {
        "contact" => "contacts",
        "company" => "companies",
        "lead" => "leads",
        "deal" => "deals",
        _ => null,
    };

    public async Task<IReadOnlyList<CustomField>> ListAsync(string? entity, bool archived, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await FieldValues.QueryAsync(connection,
            $"{FieldValues.Select} where (@entity::text is null or entity = @entity) and (@archived or not archived) order by entity, sort, id",
            new { entity, archived }, ct);
    }

    public async Task<CustomField?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await FieldValues.QueryAsync(connection, $"{FieldValues.Select} where id = @id", new { id }, ct)).SingleOrDefault();
    }

    public async Task<CrmResult<CustomField>> CreateAsync(CustomFieldRequest r, CancellationToken ct)
    {
        if (r.Entity is null || !CustomField.Entities.Contains(r.Entity))
        {
            return CrmResult<CustomField>.Invalid("entity", "entity is contact, company, lead or deal.");
        }
        if (TableOf(r.Entity) is null)
        {
            return CrmResult<CustomField>.Invalid("entity", $"{r.Entity} rows cannot hold custom fields yet.");
        }
        if (r.Key is null || !Slug().IsMatch(r.Key))
        {
            return CrmResult<CustomField>.Invalid("key", "key is a slug: a lowercase letter, then up to 49 lowercase letters, digits or _.");
        }
        if (r.Type is null || !FieldType.All.TryGetValue(r.Type, out var type))
        {
            return CrmResult<CustomField>.Invalid("type", $"type is one of: {string.Join(", ", FieldType.All.Keys)}.");
        }
        if (CheckCommon(r.Label, r.Options, type, required: true) is { } bad)
        {
            return bad;
        }
        if (r.PipelineId is not null && r.Entity != "deal")
        {
            return CrmResult<CustomField>.Invalid("pipelineId", "Only deal fields belong to a pipeline.");
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        if (r.PipelineId is not null && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from pipelines where id = @id)", new { id = r.PipelineId }, cancellationToken: ct)))
        {
            return CrmResult<CustomField>.Invalid("pipelineId", "There is no such pipeline.");
        }
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into custom_fields (entity, key, label, type, required, options, pipeline_id, sort)
                values (@Entity, @Key, @label, @Type, @required, @options::jsonb, @PipelineId,
                        coalesce(@Sort, (select coalesce(max(sort), 0) + 1 from custom_fields where entity = @Entity)))
                returning id
                """, new
            {
                r.Entity, r.Key, label = r.Label!.Trim(), r.Type, required = r.Required == true,
                options = JsonSerializer.Serialize(type.HasOptions ? r.Options!.Select(o => o.Trim()).ToList() : []), r.PipelineId, r.Sort,
            }, cancellationToken: ct));
            return CrmResult<CustomField>.Ok((await GetAsync(id, ct))!);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return CrmResult<CustomField>.Conflict($"There is already a {r.Entity} field '{r.Key}'.");
        }
    }

    /// <summary>Changes label, required, options, sort or archived; entity, key and type are fixed (stored values depend on them).</summary>
    public async Task<CrmResult<CustomField>> UpdateAsync(long id, CustomFieldRequest r, CancellationToken ct)
    {
        if (await GetAsync(id, ct) is not { } field)
        {
            return CrmResult<CustomField>.NotFound("There is no such custom field.");
        }
        if ((r.Entity is not null && r.Entity != field.Entity) || (r.Key is not null && r.Key != field.Key) || (r.Type is not null && r.Type != field.Type))
        {
            return CrmResult<CustomField>.Invalid("key", "A field's entity, key and type cannot change; define a new field instead.");
        }
        if (r.PipelineId is not null && r.PipelineId != field.PipelineId)
        {
            return CrmResult<CustomField>.Invalid("pipelineId", "A field's pipeline cannot change; define a new field instead.");
        }
        var type = FieldType.All[field.Type];
        if (CheckCommon(r.Label, r.Options, type, required: false) is { } bad)
        {
            return bad;
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            update custom_fields set label = coalesce(@label, label), required = coalesce(@Required, required), options = coalesce(@options::jsonb, options),
                   sort = coalesce(@Sort, sort), archived = coalesce(@Archived, archived)
            where id = @id
            """, new
        {
            id, label = r.Label?.Trim(), r.Required, r.Sort, r.Archived,
            options = r.Options is null || !type.HasOptions ? null : JsonSerializer.Serialize(r.Options.Select(o => o.Trim()).ToList()),
        }, cancellationToken: ct));
        return CrmResult<CustomField>.Ok((await GetAsync(id, ct))!);
    }

    public async Task<CrmResult<bool>> DeleteAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var field = await connection.QuerySingleOrDefaultAsync<(string Entity, string Key)?>(new CommandDefinition(
            "delete from custom_fields where id = @id returning entity, key", new { id }, tx, cancellationToken: ct));
        if (field is not { } f)
        {
            return CrmResult<bool>.NotFound("There is no such custom field.");
        }
        // The table name comes from the fixed switch above, never from input.
        await connection.ExecuteAsync(new CommandDefinition(
            $"update {TableOf(f.Entity)} set fields = fields - @key where jsonb_exists(fields, @key)", new { key = f.Key }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return CrmResult<bool>.Ok(true);
    }

    private static CrmResult<CustomField>? CheckCommon(string? label, IReadOnlyList<string>? options, FieldType type, bool required)
    {
        if ((required || label is not null) && (string.IsNullOrWhiteSpace(label) || label.Length > 200))
        {
            return CrmResult<CustomField>.Invalid("label", "A label of at most 200 characters is required.");
        }
        if (type.HasOptions && (required || options is not null))
        {
            if (options is null || options.Count is 0 or > 200 || options.Any(o => string.IsNullOrWhiteSpace(o) || o.Length > 100)
                || options.Select(o => o.Trim()).Distinct().Count() != options.Count)
            {
                return CrmResult<CustomField>.Invalid("options", "A list field has 1 to 200 distinct, non-empty options of at most 100 characters.");
            }
        }
        else if (!type.HasOptions && options is { Count: > 0 })
        {
            return CrmResult<CustomField>.Invalid("options", $"A {type.Name} field has no options.");
        }
        return null;
    }
}
