using System.Diagnostics;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>
/// One ContactCenter node as a real process: `dotnet ContactCenter.Api.dll` in Release, Production environment,
/// the private PostgreSQL and Redis of this run, a bootstrap admin, and rate limits lifted for load.
/// </summary>
public sealed class AppNode : IAsyncDisposable
{
    private readonly Process process;

    public string Name { get; }
    public string BaseUrl { get; }
    public int Pid => process.Id;
    public string LogFile { get; }

    private AppNode(string name, string baseUrl, Process process, string logFile)
    {
        Name = name;
        BaseUrl = baseUrl;
        this.process = process;
        LogFile = logFile;
    }

    public static async Task<AppNode> StartAsync(BenchOptions o, string name, int port, string appConnection)
    {
        var baseUrl = $"http://127.0.0.1:{port}";
        var log = Path.Combine(o.WorkDir, $"app-{name}.log");
        // The project directory is the content root, as run.sh does it.
        var projectDir = FindProjectDir(o.AppDll);
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = baseUrl,
            ["ConnectionStrings__Postgres"] = appConnection,
            ["ConnectionStrings__Redis"] = o.Redis,
            ["Auth__JwtKey"] = BenchOptions.JwtKey,
            ["Bootstrap__AdminEmail"] = BenchOptions.AdminEmail,
            ["Bootstrap__AdminPassword"] = BenchOptions.AdminPassword,
            // The per-IP limits protect a public service; every request here comes from 127.0.0.1.
            ["RateLimits__WebhooksPerSecond"] = "10000000",
            ["RateLimits__LoginPerMinute"] = "100000",
            // Bots are not polled: the benchmark posts Telegram updates to the webhook.
            ["Telegram__PollingEnabled"] = "false",
            // The provider stand-ins listen on loopback, which the outbound guard refuses unless allowed.
            ["OutboundFetch__Allow__0"] = "127.0.0.0/8",
            ["Storage__Path"] = Path.Combine(o.WorkDir, "files"),
            // Names of JIT-compiled methods for perf (/tmp/perf-<pid>.map), for the app's CPU profile; with W^X on, the
            // JIT's code runs from a double-mapped memfd that perf cannot match to the map (every managed frame "[unknown]").
            ["DOTNET_PerfMapEnabled"] = "3",
            ["DOTNET_EnableWriteXorExecute"] = "0",
        };
        foreach (var (key, value) in o.AppEnvironment)
        {
            env[key] = value;
        }
        var p = Children.Start("dotnet", [o.AppDll], projectDir, env, log);
        var node = new AppNode(name, baseUrl, p, log);
        await node.WaitReadyAsync(TimeSpan.FromSeconds(180));
        return node;
    }

    private static string? FindProjectDir(string appDll)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(appDll)!); dir is not null; dir = dir.Parent)
        {
            if (dir.GetFiles("*.csproj").Length > 0)
            {
                return dir.FullName;
            }
        }
        return null;
    }

    private async Task WaitReadyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < limit)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"App node {Name} exited with code {process.ExitCode}:\n{Children.Tail(LogFile)}");
            }
            try
            {
                using var r = await http.GetAsync(BaseUrl + "/health/ready");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"App node {Name} was not ready within {limit.TotalSeconds:0}s:\n{Children.Tail(LogFile)}");
    }

    public bool Alive => !process.HasExited;

    public long RssBytes => ProcStats.RssBytes(Pid);

    public async ValueTask DisposeAsync() => await Children.StopAsync(process, TimeSpan.FromSeconds(20));
}
