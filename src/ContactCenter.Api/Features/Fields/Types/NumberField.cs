using System.Globalization;
using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Fields.Types;

public sealed class NumberField : FieldType
{
    public override string Name => "number";

    public override FieldCheck Check(JsonNode value, IReadOnlyList<string> options) =>
        Number(value) is { } n ? FieldCheck.Ok(JsonValue.Create(n)) : FieldCheck.Fail("is a number.");

    public override FieldCheck Filter(string text, IReadOnlyList<string> options) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? FieldCheck.Ok(JsonValue.Create(n)) : FieldCheck.Fail("is a number.");
}
