using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using StackExchange.Redis;

namespace ContactCenter.Api.Infrastructure;

public sealed record RateLimitOptions
{
    public int LoginPerMinute { get; init; } = 20;
    public int WebhooksPerSecond { get; init; } = 500;
}

/// <summary>Cross-cutting plumbing: problem details, errors, JSON, health, rate limits, Redis.</summary>
public static class PlatformExtensions
{
    public static IHostApplicationBuilder AddPlatform(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        // Request-start lines carry the query string, where browsers put the hubs' access_token: never log them,
        // whatever level the configuration asks for.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // ASP.NET Core's defaults give every error status its RFC `type` but 429: the rate limits' answers (sign-in,
        // widget, forms, public routes) name RFC 6585 too.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            if (c.ProblemDetails.Status == StatusCodes.Status429TooManyRequests && c.ProblemDetails.Type is null)
            {
                c.ProblemDetails.Type = "https://tools.ietf.org/html/rfc6585#section-4";
            }
            ProblemTexts.For(c.HttpContext.Request)?.Apply(c.ProblemDetails);
        });
        services.AddTrustedProxies(builder.Configuration);
        services.AddExceptionHandler<ErrorHandling>();
        services.Configure<JsonOptions>(o => JsonDefaults.Apply(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.WebHost().ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 30 * 1024 * 1024);

        var health = services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
            .AddCheck<HangfireHealthCheck>("hangfire", tags: ["ready"]);
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            var options = ConfigurationOptions.Parse(redis);
            options.AbortOnConnectFail = false;
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
            health.AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        }

        var limits = builder.Configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        var reads = builder.Configuration.GetSection("RateLimits").Get<ReadGates.Options>() ?? new ReadGates.Options();
        services.AddSingleton(_ => new ReadGates(reads));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? ((int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) : "60";
                await Results.Problem("Too many requests; retry later.", statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext);
            };
            o.AddPolicy("login", http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.LoginPerMinute, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy("webhooks", http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.WebhooksPerSecond, Window = TimeSpan.FromSeconds(1) }));
        });
        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        // First, so that the rate limits, logs and audit see the client's address behind a trusted proxy.
        app.UseTrustedProxies();
        app.UseNodeHeader();
        // A hub's WebSocket request lives as long as its connection (days), and every middleware that awaits the rest of
        // the pipeline keeps its frame for that long. The error pages cannot answer it anyway once it has switched
        // protocols (and a browser's WebSocket never reads a refusal's body), so it skips them.
        app.UseWhen(context => !HubSockets.Is(context), branch =>
        {
            branch.UseExceptionHandler();
            branch.UseStatusCodePages(BindFailures.StatusCodePages());
        });
        app.UseJsonBodyLimit();
        app.UseRateLimiter();
        app.UseAuthenticationAndAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }

    private static ConfigureWebHostBuilder WebHost(this IHostApplicationBuilder builder) => ((WebApplicationBuilder)builder).WebHost;
}
