using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>One real app instance on a real Kestrel port (WebSockets work as in production).</summary>
public sealed class AppNode : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;

    private readonly string environment;
    private readonly Action<IServiceCollection>? services;

    public AppNode(string postgres, string? redis, IDictionary<string, string?>? extra = null, string environment = "Testing", Action<IServiceCollection>? services = null)
    {
        this.environment = environment;
        this.services = services;
        settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["ConnectionStrings:Redis"] = redis ?? "",
            ["Auth:JwtKey"] = TestKeys.JwtKey,
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Outbox:BaseDelay"] = "00:00:00.200",
            ["Outbox:MaxDelay"] = "00:00:01",
            ["Outbox:MaxAttempts"] = "5",
            ["Jobs:QueuePollInterval"] = "00:00:00.200",
            ["Jobs:WorkerCount"] = "2",
            ["RateLimits:LoginPerMinute"] = "10000",
            ["Storage:Path"] = TestKeys.FilesDir,
            ["Storage:MaxUploadBytes"] = "2097152",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        UseKestrel(0);
        StartServer();
        BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public Uri BaseAddress { get; }

    public HttpClient Http(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

public static class TestKeys
{
    /// <summary>Fresh per test run: a key committed to the repository would be refused outside Development.</summary>
    public static readonly string JwtKey = "functional-tests-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    /// <summary>Where the test apps store files (Storage:Path).</summary>
    public static readonly string FilesDir = Path.Combine(Path.GetTempPath(), "cc-test-files");
}
