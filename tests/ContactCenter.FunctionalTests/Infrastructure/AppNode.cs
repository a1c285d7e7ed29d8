using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
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
            // The outbound guard refuses loopback outside Development; the tests' provider stand-ins (WireMock, receivers,
            // dovecot) all listen on loopback, so test apps allow it explicitly. A test of the guard clears it ("").
            ["OutboundFetch:Allow:0"] = "127.0.0.0/8",
            ["OutboundFetch:Allow:1"] = "::1/128",
            ["OutboundFetch:Allow:2"] = "localhost",
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

    /// <summary>PBKDF2 iterations of the test apps' password hashes (the apps run as real processes keep Identity's default).</summary>
    public const int TestPasswordIterations = 1_000;

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
        // PBKDF2 at Identity's 100,000 iterations costs ~60 ms of CPU per hash or login, and the suites hash and
        // log in thousands of times on two cores; the format, the salt and the verification path stay the same.
        builder.ConfigureServices(s => s.Configure<PasswordHasherOptions>(o => o.IterationCount = TestPasswordIterations));
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
