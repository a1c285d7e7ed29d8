using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Fields.Types;

namespace ContactCenter.Api.Features.Fields;

/// <summary>
/// One kind of custom field: checks a JSON value sent by a client (and normalises it to what is stored), reads a
/// `field.key=` filter from a query string, and prints a stored value for CSV.
/// </summary>
public abstract class FieldType
{
    public static readonly IReadOnlyDictionary<string, FieldType> All = new FieldType[]
    {
        new StringField(), new NumberField(), new MoneyField(), new DateField(), new ListField(), new MultiListField(), new BooleanField(), new UrlField(),
    }.ToDictionary(t => t.Name);

    public abstract string Name { get; }

    /// <summary>Whether the field offers a list of options to choose from.</summary>
    public virtual bool HasOptions => false;

    public abstract FieldCheck Check(JsonNode value, IReadOnlyList<string> options);

    /// <summary>The JSON a stored value must contain to match `field.key=text` (used with `fields @> {key: value}`).</summary>
    public virtual FieldCheck Filter(string text, IReadOnlyList<string> options) => Check(JsonValue.Create(text), options);

    public virtual string Print(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.GetDecimal().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Print)),
        _ => "",
    };

    protected static string? Text(JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    protected static decimal? Number(JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d) ? d : null;
}
