using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Behind nginx every request comes from the proxy's address, so the per-IP limits (sign-in, webhooks, widget) would be
/// shared by every client. `Network:TrustedProxies` (addresses or CIDR ranges, e.g. `127.0.0.1`, `172.16.0.0/12`) names
/// the proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed, for one hop. Empty (the default) believes no one:
/// a client that sends the header itself changes nothing.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var entries = configuration.GetSection("Network:TrustedProxies").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = 1;
            // The defaults trust loopback (::1 and 127.0.0.0/8, the latter also through the obsolete KnownNetworks list):
            // only what is configured may be believed (and with nothing configured the middleware is not added at all).
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // KnownNetworks is obsolete, but its default entry is still honoured
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var entry in entries.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()))
            {
                if (entry.Contains('/', StringComparison.Ordinal))
                {
                    o.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(entry, out var network)
                        ? network : throw new InvalidOperationException($"Network:TrustedProxies: '{entry}' is not an address range like 10.0.0.0/8."));
                }
                else
                {
                    o.KnownProxies.Add(IPAddress.TryParse(entry, out var address)
                        ? address : throw new InvalidOperationException($"Network:TrustedProxies: '{entry}' is not an IP address."));
                }
            }
        });
        return services;
    }

    /// <summary>
    /// Adds the forwarded-headers middleware only when proxies are configured: with both of its lists empty, ASP.NET's
    /// middleware believes every sender's headers, which is the opposite of what an empty setting must mean.
    /// </summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var entries = app.Configuration.GetSection("Network:TrustedProxies").Get<string[]>() ?? [];
        if (entries.Any(e => !string.IsNullOrWhiteSpace(e)))
        {
            app.UseForwardedHeaders();
        }
        return app;
    }
}
