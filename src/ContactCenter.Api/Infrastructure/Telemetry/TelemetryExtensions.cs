using System.Diagnostics.Metrics;
using ContactCenter.Core;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ContactCenter.Api.Infrastructure.Telemetry;

public sealed record TelemetryOptions
{
    /// <summary>Serve the Prometheus scrape endpoint (<see cref="PrometheusPath"/>). Keep it off the public proxy.</summary>
    public bool Prometheus { get; init; }

    public string PrometheusPath { get; init; } = "/metrics";
}

/// <summary>
/// OpenTelemetry for traces, metrics and logs. Exporting follows the standard `OTEL_*` variables: with
/// `OTEL_EXPORTER_OTLP_ENDPOINT` set, everything goes over OTLP; without it nothing is exported (and the SDK costs
/// little). `Telemetry:Prometheus=true` adds a scrape endpoint. Logs carry the trace and span ids either way.
/// </summary>
public static class TelemetryExtensions
{
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<AppTelemetry>();
        builder.Services.AddHostedService<OutboxSampler>();
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(
                serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? "contactcenter",
                serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithTracing(t =>
            {
                t.AddSource(AppTelemetry.Name)
                    // SignalR's span per hub method call, each the root of its own trace (its database and Redis calls
                    // under it), not under the connection's socket request, which lasts for hours and is not traced
                    // (IsQuiet). The connect and disconnect are traces of their own too (InboxHub's `hub.connect`).
                    .AddSource("Microsoft.AspNetCore.SignalR.Server")
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsQuiet(http.Request.Path, options))
                    // A span's URL is exported: never with a token in it (Telegram's is in the path).
                    .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                    {
                        if (request.RequestUri is { } uri)
                        {
                            activity.SetTag("url.full", SecretUrls.Redact(uri));
                        }
                    })
                    .AddNpgsql()
                    .AddRedisInstrumentation();
            })
            .WithMetrics(m =>
            {
                // Meters made by another service provider's IMeterFactory (another app in the same process: the tests'
                // nodes) are not this app's: dropped, so they neither mix into its numbers nor use up the provider's
                // 1,000 metric streams (past that limit the SDK ignores new instruments, ours included).
                (m as IDeferredMeterProviderBuilder)?.Configure((services, b) =>
                {
                    var own = services.GetRequiredService<IMeterFactory>();
                    b.AddView(instrument => instrument.Meter.Scope is IMeterFactory other && !ReferenceEquals(other, own)
                        ? MetricStreamConfiguration.Drop : null);
                });
                m.AddMeter(AppTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    // SignalR's own connection and duration instruments (ASP.NET Core 8+).
                    .AddMeter("Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Server.Kestrel");
                if (options.Prometheus)
                {
                    m.AddPrometheusExporter();
                }
            });
        if (otlp)
        {
            builder.Logging.AddOpenTelemetry(l =>
            {
                l.IncludeFormattedMessage = true;
                l.IncludeScopes = true;
            });
            otel.UseOtlpExporter();
        }
        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<TelemetryOptions>();
        if (options.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath);
        }
        return app;
    }

    /// <summary>
    /// Health probes, the scrape endpoint, and a hub's connection request: the WebSocket under a hub connection is one
    /// request that lasts as long as the connection (hours), so its span says nothing, and its tags would be held per
    /// connection (about 0.4 KB each, measured with dotnet-gcdump). The hub's negotiate call is still traced.
    /// </summary>
    private static bool IsQuiet(PathString path, TelemetryOptions options) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(options.PrometheusPath)
        || (path.StartsWithSegments("/hubs", out var rest) && rest.Value?.EndsWith("/negotiate", StringComparison.Ordinal) != true);
}
