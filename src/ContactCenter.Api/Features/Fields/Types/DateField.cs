using System.Globalization;
using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Fields.Types;

/// <summary>A calendar date, stored as yyyy-MM-dd so equal dates compare equal.</summary>
public sealed class DateField : FieldType
{
    public override string Name => "date";

    public override FieldCheck Check(JsonNode value, IReadOnlyList<string> options) =>
        Text(value) is { } text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? FieldCheck.Ok(JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
            : FieldCheck.Fail("is a date yyyy-mm-dd.");
}
