using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>
/// Every process this tool starts: their ids go to WORK/pids (so that ./bench.sh can end them by id if this
/// tool dies), and they are ended by id when the tool exits.
/// </summary>
public static class Children
{
    private static readonly List<Process> Started = [];
    private static string? pidFile;

    public static void Init(string workDir)
    {
        pidFile = Path.Combine(workDir, "pids");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, e) =>
        {
            KillAll();
        };
    }

    /// <summary>Starts a process; its stdout and stderr go to <paramref name="logFile"/> unless <paramref name="readOutput"/> is set.</summary>
    public static Process Start(string file, IEnumerable<string> args, string? workingDirectory, IDictionary<string, string> env, string logFile, bool readOutput = false)
    {
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = readOutput,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        lock (Started)
        {
            Started.Add(process);
            if (pidFile is not null)
            {
                File.AppendAllText(pidFile, process.Id.ToString(CultureInfo.InvariantCulture) + "\n");
            }
        }
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var logGate = new object();
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (logGate)
            {
                log.WriteLine(line);
            }
        }
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginErrorReadLine();
        if (!readOutput)
        {
            process.OutputDataReceived += (_, e) => Write(e.Data);
            process.BeginOutputReadLine();
        }
        return process;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }
        _ = SysKill(process.Id, 15);
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public static void KillAll()
    {
        lock (Started)
        {
            foreach (var p in Started)
            {
                try
                {
                    if (!p.HasExited)
                    {
                        p.Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                }
            }
            Started.Clear();
        }
    }

    public static string Tail(string file, int lines = 30)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }
}
