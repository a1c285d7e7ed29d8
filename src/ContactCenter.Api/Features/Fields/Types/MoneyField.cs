using System.Globalization;
using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Fields.Types;

/// <summary>An amount with at most two decimals, not negative (the currency is the deal's).</summary>
public sealed class MoneyField : FieldType
{
    public override string Name => "money";

    public override FieldCheck Check(JsonNode value, IReadOnlyList<string> options) =>
        Number(value) is { } n && n >= 0 && decimal.Round(n, 2) == n ? FieldCheck.Ok(JsonValue.Create(n)) : FieldCheck.Fail("is an amount (a number not below 0, at most two decimals).");

    public override FieldCheck Filter(string text, IReadOnlyList<string> options) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? Check(JsonValue.Create(n), options) : FieldCheck.Fail("is an amount.");
}
