using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Fields.Types;

/// <summary>One of the field's options.</summary>
public sealed class ListField : FieldType
{
    public override string Name => "list";

    public override bool HasOptions => true;

    public override FieldCheck Check(JsonNode value, IReadOnlyList<string> options) =>
        Text(value) is { } text && options.Contains(text) ? FieldCheck.Ok(JsonValue.Create(text)) : FieldCheck.Fail($"is one of: {string.Join(", ", options)}.");
}
