using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Fields;

/// <summary>A value as stored (normalised), or why it cannot be.</summary>
public readonly record struct FieldCheck(JsonNode? Value, string? Error)
{
    public static FieldCheck Ok(JsonNode value) => new(value, null);

    public static FieldCheck Fail(string error) => new(null, error);
}
