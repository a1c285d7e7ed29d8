using System.Text.Json;
using ContactCenter.Connectors.Api;

namespace ContactCenter.Api.Demo;

public sealed record DemoOptions
{
    /// <summary>Seeds a few sample conversations when the database has none (Development only).</summary>
    public bool SeedConversations { get; init; } = true;

    /// <summary>Keeps simulated customers writing (`./run.sh --simulate` or `Demo:Simulate=true`).</summary>
    public bool Simulate { get; init; }

    public double IntervalSeconds { get; init; } = 8;

    /// <summary>The api channel to write through (the first enabled api channel when there is none of this name).</summary>
    public string ChannelName { get; init; } = "Demo API";
}

/// <summary>
/// The Development demo: the seeded api channel's replies come back to this app, sample
/// conversations on first start, and with --simulate a gentle stream of customers writing through the real,
/// signed inbound route.
/// </summary>
public static class DemoExtensions
{
    public const string CallbackPath = "/api/demo/callback";

    public static IHostApplicationBuilder AddDemo(this IHostApplicationBuilder builder, string[] args)
    {
        if (!builder.Environment.IsDevelopment())
        {
            return builder;
        }
        if (args.Contains("--simulate", StringComparer.OrdinalIgnoreCase))
        {
            builder.Configuration["Demo:Simulate"] = "true";
        }
        builder.Services.AddOptions<DemoOptions>().BindConfiguration("Demo");
        builder.Services.AddHttpClient(DemoService.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton<DemoService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoService>());
        return builder;
    }

    public static IEndpointRouteBuilder MapDemo(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return app;
        }
        // Where the simulated channel's replies are delivered: checks the signature like a real integration would.
        app.MapPost(CallbackPath, async (HttpRequest request, DemoService demo, CancellationToken ct) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            var body = buffer.ToArray();
            if (demo.Secret.Length == 0 || !ApiSignature.Verify(demo.Secret, body, request.Headers[ApiSignature.Header]))
            {
                return Results.Problem("Bad signature.", statusCode: StatusCodes.Status401Unauthorized);
            }
            using var json = JsonDocument.Parse(body);
            var contact = json.RootElement.GetProperty("contact").GetProperty("externalId").GetString();
            if (contact is not null)
            {
                demo.CustomerReadsReply(contact);
            }
            return Results.Ok();
        })
        .AllowAnonymous()
        // The demo's own loopback hook, not an API: the OpenAPI document stays the same in every environment
        // (docs/openapi.json, written in Testing, is the document Development serves).
        .ExcludeFromDescription();
        return app;
    }
}
