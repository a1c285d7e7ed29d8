using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>
/// An approved message template as the Graph API lists it (`GET /{waba-id}/message_templates`), and a chosen one with its
/// body parameters, as it travels in the outbound message's metadata (`whatsapp.template`).
/// </summary>
public sealed partial record WhatsAppTemplate(string Name, string Language, string Category, string Body, int ParameterCount)
{
    public const string MetadataKey = "whatsapp.template";

    [GeneratedRegex(@"\{\{\s*(\d+)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>The body with {{1}}, {{2}}... filled in: the readable text the inbox stores for a template send.</summary>
    public string Render(IReadOnlyList<string> parameters) =>
        Placeholder().Replace(Body, m => int.TryParse(m.Groups[1].Value, out var n) && n >= 1 && n <= parameters.Count ? parameters[n - 1] : m.Value);

    /// <summary>The APPROVED templates of one page of `message_templates` (others cannot be sent).</summary>
    public static List<WhatsAppTemplate> ParseApproved(JsonNode? page)
    {
        var list = new List<WhatsAppTemplate>();
        foreach (var node in page?["data"] as JsonArray ?? [])
        {
            if (node is not JsonObject t || Str(t, "name") is not { } name || Str(t, "language") is not { } language
                || !string.Equals(Str(t, "status"), "APPROVED", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var body = (t["components"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(c => string.Equals(Str(c, "type"), "BODY", StringComparison.OrdinalIgnoreCase)) is { } b ? Str(b, "text") ?? "" : "";
            var count = Placeholder().Matches(body).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
            list.Add(new WhatsAppTemplate(name, language, Str(t, "category") ?? "", body, count));
        }
        return list;
    }

    /// <summary>What the sender needs: `{name, language, parameters}`, stored as JSON under <see cref="MetadataKey"/>.</summary>
    public sealed record Chosen(string Name, string Language, IReadOnlyList<string> Parameters)
    {
        public string ToJson() => JsonSerializer.Serialize(new JsonObject
        {
            ["name"] = Name,
            ["language"] = Language,
            ["parameters"] = new JsonArray([.. Parameters.Select(p => (JsonNode?)JsonValue.Create(p))]),
        });

        public static Chosen? FromJson(string? json)
        {
            try
            {
                return json is null ? null : JsonNode.Parse(json) is JsonObject o && Str(o, "name") is { } name && Str(o, "language") is { } language
                    ? new Chosen(name, language, (o["parameters"] as JsonArray ?? []).Select(p => p?.GetValue<string>() ?? "").ToList())
                    : null;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                return null;
            }
        }

        /// <summary>The `template` object of a Cloud API send.</summary>
        public JsonObject ToGraph()
        {
            var template = new JsonObject { ["name"] = Name, ["language"] = new JsonObject { ["code"] = Language } };
            if (Parameters.Count > 0)
            {
                template["components"] = new JsonArray(new JsonObject
                {
                    ["type"] = "body",
                    ["parameters"] = new JsonArray([.. Parameters.Select(p => (JsonNode?)new JsonObject { ["type"] = "text", ["text"] = p })]),
                });
            }
            return template;
        }
    }

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
