using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Fields;
using Npgsql;

namespace ContactCenter.Api.Features.Imports;

/// <summary>
/// Custom-field columns of an import (`"field.<key>": column`): in a lead import a key names the lead's field when leads
/// have one, else the contact's. Cells are read as text and checked by the same <see cref="FieldValues"/> rules as the API.
/// </summary>
public sealed class ImportFields(IReadOnlyList<CustomField> contact, IReadOnlyList<CustomField> lead)
{
    public const string Prefix = "field.";

    public static readonly ImportFields None = new([], []);

    public static async Task<ImportFields> LoadAsync(NpgsqlConnection connection, string entity, CancellationToken ct) =>
        new(await FieldValues.DefinitionsAsync(connection, null, "contact", ct),
            entity == "lead" ? await FieldValues.DefinitionsAsync(connection, null, "lead", ct) : []);

    public bool Knows(string key) => lead.Any(d => d.Key == key) || contact.Any(d => d.Key == key);

    /// <summary>Patches of the non-empty cells (contact, lead), or the row's error naming `fields.key`.</summary>
    public (FieldValues.Delta? Contact, FieldValues.Delta? Lead, string? Error) Read(IReadOnlyDictionary<string, int> map, string[] record)
    {
        JsonObject contactPatch = [], leadPatch = [];
        foreach (var (target, column) in map)
        {
            if (!target.StartsWith(Prefix, StringComparison.Ordinal) || column >= record.Length || string.IsNullOrWhiteSpace(record[column]))
            {
                continue; // an empty cell leaves the value as it is
            }
            var key = target[Prefix.Length..];
            var onLead = lead.FirstOrDefault(d => d.Key == key);
            var definition = onLead ?? contact.FirstOrDefault(d => d.Key == key);
            if (definition is null)
            {
                return (null, null, $"fields.{key}: there is no such custom field any more.");
            }
            (onLead is null ? contactPatch : leadPatch)[key] = FromText(definition.Type, record[column].Trim());
        }
        var (contactDelta, contactError) = FieldValues.Check(contact, contactPatch);
        if (contactError is not null)
        {
            return (null, null, $"{contactError.Field}: {contactError.Error}");
        }
        var (leadDelta, leadError) = FieldValues.Check(lead, leadPatch);
        if (leadError is not null)
        {
            return (null, null, $"{leadError.Field}: {leadError.Error}");
        }
        return (contactPatch.Count > 0 ? contactDelta : null, leadPatch.Count > 0 ? leadDelta : null, null);
    }

    /// <summary>A cell as the JSON a client would send: numbers and booleans parsed, multi-list options split on `;`.</summary>
    private static JsonNode FromText(string type, string text) => type switch
    {
        "number" or "money" when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        "boolean" when bool.TryParse(text, out var b) => JsonValue.Create(b),
        "multi-list" => new JsonArray(text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(o => (JsonNode?)JsonValue.Create(o)).ToArray()),
        _ => JsonValue.Create(text),
    };
}
