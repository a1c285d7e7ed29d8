using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.Connectors.WebChat.Sites;

/// <summary>
/// Which web pages may use a site channel: `allowedOrigins` in its settings (none = any page).
/// A browser names the page in `Origin` (or at least `Referer`); a request with neither is not from a browser.
/// </summary>
public static class SiteOrigins
{
    public const string Setting = "allowedOrigins";

    /// <summary>`https://Example.com:443/` -> `https://example.com`; null when the value is not an http(s) origin.</summary>
    public static string? Normalize(string? value)
    {
        if (value is null || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }
        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }

    public static IReadOnlyList<string> Allowed(ChannelInfo channel) =>
        channel.Settings[Setting] is JsonArray list
            ? list.Where(o => o?.GetValueKind() == JsonValueKind.String).Select(o => o!.GetValue<string>()).ToList()
            : [];

    /// <summary>The page the request comes from: the Origin header, else the Referer's origin; null for non-browser callers.</summary>
    public static string? Of(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return origin;
        }
        var referer = request.Headers.Referer.ToString();
        return Uri.TryCreate(referer, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
    }

    public static bool IsAllowed(ChannelInfo channel, string? origin)
    {
        var allowed = Allowed(channel);
        if (allowed.Count == 0 || origin is null)
        {
            return true;
        }
        var normalized = Normalize(origin);
        return normalized is not null && allowed.Contains(normalized, StringComparer.Ordinal);
    }

    public static bool IsAllowed(ChannelInfo channel, HttpRequest request) => IsAllowed(channel, Of(request));

    /// <summary>Validates and normalises `allowedOrigins` in place.</summary>
    public static void Validate(JsonObject settings, IDictionary<string, string[]> errors)
    {
        if (settings[Setting] is not { } origins)
        {
            return;
        }
        var normalized = origins is JsonArray list ? list.Select(o => o?.GetValueKind() == JsonValueKind.String ? Normalize(o.GetValue<string>()) : null).ToList() : null;
        if (normalized is null || normalized.Any(o => o is null))
        {
            errors["settings.allowedOrigins"] = ["allowedOrigins must be a list of origins such as https://example.com (scheme, host and port only)."];
            return;
        }
        settings[Setting] = new JsonArray(normalized.Distinct().Select(o => (JsonNode?)JsonValue.Create(o)).ToArray());
    }
}
