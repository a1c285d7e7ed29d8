using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Fields.Types;

/// <summary>An absolute http(s) address (never fetched: it is only shown as a link).</summary>
public sealed class UrlField : FieldType
{
    public override string Name => "url";

    public override FieldCheck Check(JsonNode value, IReadOnlyList<string> options) =>
        Text(value) is { Length: <= 2000 } text && !text.Contains('\0') && Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? FieldCheck.Ok(JsonValue.Create(text.Trim()))
            : FieldCheck.Fail("is an http or https address.");
}
