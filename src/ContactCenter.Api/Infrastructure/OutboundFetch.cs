using ContactCenter.Core.Net;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Registers the one <see cref="OutboundGuard"/> every connector's HTTP client is built on, from the `OutboundFetch`
/// section. Development may reach loopback (local stand-ins of providers); everywhere else only the allow-list may
/// name internal addresses.
/// </summary>
public static class OutboundFetch
{
    public static IHostApplicationBuilder AddOutboundGuard(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("OutboundFetch").Get<OutboundFetchSettings>() ?? new OutboundFetchSettings();
        settings = settings with
        {
            // An empty entry is how a test (or an override file) clears an inherited allow-list.
            Allow = [.. settings.Allow.Select(a => a.Trim()).Where(a => a.Length > 0)],
            AllowLoopback = settings.AllowLoopback || builder.Environment.IsDevelopment(),
        };
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(sp => new OutboundGuard(sp.GetRequiredService<OutboundFetchSettings>()));
        return builder;
    }
}
