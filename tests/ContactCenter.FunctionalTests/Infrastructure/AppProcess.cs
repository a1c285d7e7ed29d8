using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// The app as a real OS process (the built ContactCenter.Api.dll beside the tests), so a test can SIGKILL it
/// mid-stream and start it again on the same port and database.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> environment;
    private Process? process;

    public AppProcess(string postgres, IDictionary<string, string>? extra = null)
    {
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}");
        environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/'),
            ["ConnectionStrings__Postgres"] = postgres,
            ["Auth__JwtKey"] = TestKeys.JwtKey,
            ["Bootstrap__AdminEmail"] = "admin@test.local",
            ["Bootstrap__AdminPassword"] = "admin-password-1",
            ["Outbox__PollInterval"] = "00:00:00.200",
            // The callback receivers of the tests listen on loopback, which the outbound guard refuses unless allowed.
            ["OutboundFetch__Allow__0"] = "127.0.0.0/8",
            ["Outbox__BaseDelay"] = "00:00:00.200",
            ["Outbox__MaxDelay"] = "00:00:01",
            ["Outbox__Lease"] = "00:00:03",
            ["Jobs__QueuePollInterval"] = "00:00:00.200",
            ["Jobs__WorkerCount"] = "2",
            ["RateLimits__LoginPerMinute"] = "10000",
            ["Storage__Path"] = TestKeys.FilesDir,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http(string? token = null, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public async Task StartAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ContactCenter.Api.dll");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        process = Process.Start(info) ?? throw new InvalidOperationException("The app did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = Http(timeout: TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {process.ExitCode} while starting.");
            }
            try
            {
                if ((await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The app did not become ready in 60 s.");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, in-flight requests and sends cut.</summary>
    public void Kill()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
