using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Fields.Types;

/// <summary>One of the field's options.</summary>
public sealed class ListField : FieldType
{
    public override string Name => "list";

    public override bool HasOptions => true;

    public override FieldCheck Check(JsonNode value, IReadOnlyList<string> options) =>
        Text(value) is { } text && options.Contains(text) ? FieldCheck.Ok(JsonValue.Create(text)) : FieldCheck.Fail($"is one of: {string.Join(", ", options)}.");

    /// <summary>
    /// Any value filters, an option since removed too: records keep the value they were given, and the admin who removed
    /// the option must be able to find them to clean up (it was a 400 naming only today's options).
    /// </summary>
    public override FieldCheck Filter(string text, IReadOnlyList<string> options) =>
        text.Length is > 0 and <= 200 ? FieldCheck.Ok(JsonValue.Create(text)) : Check(JsonValue.Create(text), options);
}
