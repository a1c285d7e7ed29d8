using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Fields;

/// <summary>
/// The boundary between a client's `fields` object and the stored JSONB: every key must be a defined, active field of the
/// entity (and of the row's pipeline), every value of its type; null removes a value; required fields must be there on create.
/// </summary>
public static class FieldValues
{
    public static readonly IReadOnlyDictionary<string, JsonElement> Empty = new Dictionary<string, JsonElement>();

    /// <summary>The merged object to store, or the field at fault (`fields.key`) and why.</summary>
    public sealed record Merge(string? Json, string? Field, string? Error)
    {
        public bool Failed => Error is not null;
    }

    private sealed class DefinitionRow
    {
        public long Id { get; init; }
        public string Entity { get; init; } = "";
        public string Key { get; init; } = "";
        public string Label { get; init; } = "";
        public string Type { get; init; } = "";
        public bool Required { get; init; }
        public string Options { get; init; } = "[]";
        public long? PipelineId { get; init; }
        public int Sort { get; init; }
        public bool Archived { get; init; }

        public CustomField ToField() => new(Id, Entity, Key, Label, Type, Required, JsonSerializer.Deserialize<List<string>>(Options) ?? [], PipelineId, Sort, Archived);
    }

    internal const string Select = "select id, entity, key, label, type, required, options::text as options, pipeline_id, sort, archived from custom_fields";

    public static async Task<IReadOnlyList<CustomField>> DefinitionsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string entity, CancellationToken ct) =>
        (await connection.QueryAsync<DefinitionRow>(new CommandDefinition(
            $"{Select} where entity = @entity and not archived order by sort, id", new { entity }, tx, cancellationToken: ct))).Select(r => r.ToField()).ToList();

    /// <summary>The entity's active definitions, read on a connection of their own.</summary>
    public static async Task<IReadOnlyList<CustomField>> DefinitionsAsync(NpgsqlDataSource db, string entity, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await DefinitionsAsync(connection, null, entity, ct);
    }

    internal static async Task<IReadOnlyList<CustomField>> QueryAsync(NpgsqlConnection connection, string sql, object args, CancellationToken ct) =>
        (await connection.QueryAsync<DefinitionRow>(new CommandDefinition(sql, args, cancellationToken: ct))).Select(r => r.ToField()).ToList();

    public static IReadOnlyDictionary<string, JsonElement> Parse(string? json) =>
        string.IsNullOrEmpty(json) || json == "{}" ? Empty : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? Empty;

    /// <summary>A checked patch as SQL can apply it atomically: `(fields - @removed) || @set`.</summary>
    public sealed record Delta(string Set, string[] Removed);

    /// <summary>Checks a `fields` patch without reading the row: the values to set (normalised) and the keys to remove.</summary>
    public static (Delta? Delta, Merge? Error) Check(IReadOnlyList<CustomField> definitions, JsonNode? patch)
    {
        var merged = Apply(definitions, null, patch, sent: true, creating: false, null);
        return merged.Failed
            ? (null, merged)
            : (new Delta(merged.Json!, patch!.AsObject().Where(p => p.Value is null).Select(p => p.Key).ToArray()), null);
    }

    /// <summary><see cref="Check"/> of a PATCH body's `fields`, sent (as <paramref name="fields"/>, null included), against the entity's definitions.</summary>
    public static async Task<(Delta? Delta, Merge? Error)> CheckAsync(NpgsqlDataSource db, string entity, JsonNode? fields, CancellationToken ct) =>
        Check(await DefinitionsAsync(db, entity, ct), fields);

    /// <summary>Applies `patch` (null: nothing sent) over `current`; `creating` also demands the required fields.</summary>
    public static Merge Apply(IReadOnlyList<CustomField> definitions, string? current, JsonNode? patch, bool sent, bool creating, long? pipelineId)
    {
        if (sent && patch is not JsonObject)
        {
            return new Merge(null, "fields", "fields is an object {key: value}.");
        }
        var stored = string.IsNullOrEmpty(current) ? new JsonObject() : JsonNode.Parse(current)!.AsObject();
        foreach (var (key, value) in (patch as JsonObject) ?? [])
        {
            var field = $"fields.{key}";
            var definition = definitions.FirstOrDefault(d => d.Key == key);
            if (definition is null)
            {
                return new Merge(null, field, $"There is no custom field '{key}'.");
            }
            if (!definition.AppliesTo(pipelineId))
            {
                return new Merge(null, field, $"'{definition.Label}' belongs to deals of pipeline {definition.PipelineId} only.");
            }
            if (value is null)
            {
                if (definition.Required)
                {
                    return new Merge(null, field, $"'{definition.Label}' is required.");
                }
                stored.Remove(key);
                continue;
            }
            var check = FieldType.All[definition.Type].Check(value, definition.Options);
            if (check.Error is not null)
            {
                return new Merge(null, field, $"'{definition.Label}' {check.Error}");
            }
            stored[key] = check.Value;
        }
        if (creating)
        {
            foreach (var missing in definitions.Where(d => d.Required && d.AppliesTo(pipelineId) && !stored.ContainsKey(d.Key)))
            {
                return new Merge(null, $"fields.{missing.Key}", $"'{missing.Label}' is required.");
            }
        }
        return new Merge(stored.ToJsonString(), null, null);
    }
}
