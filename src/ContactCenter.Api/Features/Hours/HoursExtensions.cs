using System.Threading.RateLimiting;
using ContactCenter.Core;
using Microsoft.AspNetCore.RateLimiting;

namespace ContactCenter.Api.Features.Hours;

/// <summary>Out-of-hours replies, acknowledgements, managers' working hours and CSAT (issue 16).</summary>
public static class HoursExtensions
{
    public static IHostApplicationBuilder AddHours(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AutoReplies>();
        services.AddSingleton<CsatTokens>();
        services.AddSingleton<CsatSurveys>();
        services.AddSingleton<ICsatRatings>(sp => sp.GetRequiredService<CsatSurveys>());
        var perMinute = builder.Configuration.GetValue("RateLimits:CsatPerMinute", 20);
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(CsatPage.RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) })));
        return builder;
    }

    public static IEndpointRouteBuilder MapHoursApi(this IEndpointRouteBuilder app)
    {
        app.MapWorkingHoursApi();
        app.MapCsatStatsApi();
        app.MapCsatPage();
        return app;
    }
}
