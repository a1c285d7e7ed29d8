using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// Debian's nginx (CC_TEST_NGINX, installed by ./test.sh) running the repository's docker/nginx.conf, rendered for
/// loopback ports by the same shell function scripts/cluster.sh uses (scripts/lib.sh render_nginx_conf): the test
/// exercises the configuration the compose file ships, not a copy of it.
/// </summary>
public sealed class NginxProcess(IReadOnlyList<int> nodePorts) : IAsyncDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("cc-nginx-");
    private Process? process;

    public int Port { get; } = FreePort();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static string RepositoryRoot { get; } = FindRoot();

    public async Task StartAsync()
    {
        var nginx = Environment.GetEnvironmentVariable("CC_TEST_NGINX")
            ?? throw new InvalidOperationException("CC_TEST_NGINX is not set: run the tests through ./test.sh (it installs nginx).");
        var conf = Path.Combine(dir.FullName, "nginx.conf");
        string[] render =
        [
            "-c", "set -euo pipefail; source scripts/lib.sh; render_nginx_conf \"$@\"", "render",
            "docker/nginx.conf", conf, dir.FullName, Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. nodePorts.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        var (code, output) = await RunAsync("bash", render);
        Assert.True(code == 0, $"render_nginx_conf failed ({code}): {output}");

        var errorLog = Path.Combine(dir.FullName, "error.log");
        process = Start(nginx, ["-p", dir.FullName, "-c", conf, "-e", errorLog, "-g", "daemon off;"]);
        var started = process;
        if (!await ListeningProcess.WaitAsync(started, Port, TimeSpan.FromSeconds(20),
                () => Task.FromResult($"nginx exited with {started.ExitCode}: {Read(errorLog)}")))
        {
            throw new TimeoutException($"nginx did not listen on {Port}: {Read(errorLog)}");
        }
    }

    /// <summary>What nginx logged (errors and the upstream failures its passive checks saw), for failure messages.</summary>
    public string ErrorLog => Read(Path.Combine(dir.FullName, "error.log"));

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            // TERM, not KILL: a killed master leaves its workers serving.
            await RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process?.Dispose();
        dir.Delete(recursive: true);
    }

    private static Process Start(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var started = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        started.OutputDataReceived += (_, _) => { };
        started.ErrorDataReceived += (_, _) => { };
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var run = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync();
        return (run.ExitCode, await stdout + await stderr);
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no error log)";

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "ContactCenter.sln")) && File.Exists(Path.Combine(d.FullName, "scripts", "lib.sh")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (ContactCenter.sln, scripts/lib.sh) was not found above the test binaries.");
    }
}
