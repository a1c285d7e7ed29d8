namespace ContactCenter.Api.Features.Shared;

/// <summary>
/// The service's public address, for the URLs a channel's `public` object tells an admin to paste elsewhere. Kinds that
/// know no address give paths (`/api/inbound/7`); with `Channels:PublicBaseUrl` set (else the `WebChat` or `Telegram`
/// one) those paths become absolute here, so the web app shows what the server computed and never guesses from the
/// browser's own address (which, behind a proxy or on an admin's internal hostname, is not what a provider can reach).
/// Without any, paths stay paths and the web app says the address is not configured.
/// </summary>
public sealed class ChannelPublicUrls(IConfiguration configuration)
{
    public string? BaseUrl { get; } = new[] { "Channels:PublicBaseUrl", "WebChat:PublicBaseUrl", "Telegram:PublicBaseUrl" }
        .Select(key => configuration[key]?.Trim().TrimEnd('/'))
        .FirstOrDefault(value => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https");

    /// <summary>Every string value that is a path (one leading slash) made absolute on <see cref="BaseUrl"/>.</summary>
    public IDictionary<string, object?> Resolve(IDictionary<string, object?> values)
    {
        if (BaseUrl is null)
        {
            return values;
        }
        foreach (var (key, value) in values.ToList())
        {
            if (value is string path && path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal))
            {
                values[key] = BaseUrl + path;
            }
        }
        return values;
    }
}
