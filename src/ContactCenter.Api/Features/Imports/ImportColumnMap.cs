using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Imports;

/// <summary>
/// Which column holds what: `{"name":0,"email":1,"phone":2,"company":3}` by 0-based index, or by header name
/// (`{"name":"Full name"}`, case and surrounding spaces ignored; needs a header row). Leads may map `title` too.
/// </summary>
public static class ImportColumnMap
{
    public static readonly string[] ContactKeys = ["name", "email", "phone", "company"];
    public static readonly string[] LeadKeys = ["name", "email", "phone", "company", "title"];

    /// <summary>The map resolved to column indices, or the reason it cannot be (a 400).</summary>
    public static (Dictionary<string, int>? Map, string? Error) Resolve(string? json, string entity, string[]? header, int columns, ImportFields fields)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, "map (the column map, e.g. {\"name\":0,\"email\":1,\"phone\":2}) is required.");
        }
        JsonObject? obj;
        try
        {
            obj = JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            obj = null;
        }
        if (obj is null)
        {
            return (null, "map must be a JSON object such as {\"name\":0,\"email\":1,\"phone\":2}.");
        }
        var keys = entity == "lead" ? LeadKeys : ContactKeys;
        var map = new Dictionary<string, int>();
        foreach (var (key, node) in obj)
        {
            if (key.StartsWith(ImportFields.Prefix, StringComparison.Ordinal))
            {
                if (!fields.Knows(key[ImportFields.Prefix.Length..]))
                {
                    return (null, $"map: {key} is not an active custom field of a {entity}{(entity == "lead" ? " or its contact" : "")}.");
                }
            }
            else if (!keys.Contains(key))
            {
                return (null, $"map: unknown field {key}; a {entity} import maps {string.Join(", ", keys)} and field.<key>.");
            }
            if (node is null)
            {
                continue;
            }
            int index;
            if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<int>(out var i))
            {
                index = i;
            }
            else if (node.GetValueKind() == JsonValueKind.String)
            {
                if (header is null)
                {
                    return (null, $"map: {key} names a column, but the file has no header row (hasHeader=false); use a column number.");
                }
                var name = node.GetValue<string>().Trim();
                index = Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                {
                    return (null, $"map: the header has no column named \"{name}\" (for {key}).");
                }
            }
            else
            {
                return (null, $"map: {key} must be a column number or a header name.");
            }
            if (index < 0 || index >= columns)
            {
                return (null, $"map: {key} points at column {index}, but the file has {columns} column(s) (numbered from 0).");
            }
            map[key] = index;
        }
        if (!map.ContainsKey("name") && !map.ContainsKey("email") && !map.ContainsKey("phone"))
        {
            return (null, "map must name at least one of the name, email and phone columns.");
        }
        return (map, null);
    }
}
