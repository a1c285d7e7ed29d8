using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Fields.Types;

public sealed class StringField : FieldType
{
    public override string Name => "string";

    public override FieldCheck Check(JsonNode value, IReadOnlyList<string> options) =>
        Text(value) is { Length: <= 2000 } text && !text.Contains('\0') ? FieldCheck.Ok(JsonValue.Create(text.Trim())!) : FieldCheck.Fail("is a string of at most 2000 characters.");
}
