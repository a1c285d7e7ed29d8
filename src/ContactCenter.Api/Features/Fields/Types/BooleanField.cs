using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Fields.Types;

public sealed class BooleanField : FieldType
{
    public override string Name => "boolean";

    public override FieldCheck Check(JsonNode value, IReadOnlyList<string> options) =>
        value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? FieldCheck.Ok(JsonValue.Create(v.GetValue<bool>()))
            : FieldCheck.Fail("is true or false.");

    public override FieldCheck Filter(string text, IReadOnlyList<string> options) => text switch
    {
        "true" => FieldCheck.Ok(JsonValue.Create(true)),
        "false" => FieldCheck.Ok(JsonValue.Create(false)),
        _ => FieldCheck.Fail("is true or false."),
    };
}
