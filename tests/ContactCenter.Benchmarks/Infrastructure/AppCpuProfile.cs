using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>
/// A CPU profile of an app node over a window: Linux <c>perf record -e cpu-clock -g</c> on its process (true CPU time,
/// kernel and native code included; the app writes /tmp/perf-&lt;pid&gt;.map so JIT-compiled methods have names, see
/// <see cref="AppNode"/>), folded into where the time goes. A sample counts for the leaf-most frame that belongs to a
/// known library, so a socket write made by Npgsql is Npgsql's and a JSON serialization called by the pipeline is JSON's.
/// </summary>
public static partial class AppCpuProfile
{
    /// <summary>Managed namespaces that name an area wherever they are on the stack (leaf-most wins).</summary>
    private static readonly (string Prefix, string Area)[] Libraries =
    [
        ("Npgsql", "Npgsql (PostgreSQL protocol, pool)"),
        ("Dapper", "Dapper (parameters, row mapping)"),
        ("System.Text.Json", "JSON (System.Text.Json)"),
        ("Microsoft.AspNetCore.SignalR", "SignalR (hub protocol, group sends)"),
        ("StackExchange.Redis", "Redis client"),
        ("System.Security.Cryptography", "Cryptography (webhook HMAC)"),
        ("Microsoft.AspNetCore.Server.Kestrel", "HTTP server (Kestrel, sockets)"),
        ("System.IO.Pipelines", "HTTP server (Kestrel, sockets)"),
        ("Microsoft.AspNetCore", "ASP.NET Core (routing, auth, middleware)"),
        ("Microsoft.Extensions.Logging", "Logging"),
        ("Serilog", "Logging"),
        ("Telegram.Bot", "Telegram.Bot (update parsing)"),
        ("Hangfire", "Hangfire (job polling)"),
        ("ContactCenter", "ContactCenter code itself"),
    ];

    /// <summary>Generic machinery: named only when no library frame is above it.</summary>
    private static readonly (string Prefix, string Area)[] Generic =
    [
        ("System.Net.Sockets", "Sockets (other)"),
        ("System.Threading", "Thread pool, tasks, locks"),
        ("System.Runtime.CompilerServices", "Thread pool, tasks, locks"),
    ];

    public sealed record Result(long Samples, double CpuSeconds, IReadOnlyList<(string Name, double Share)> Areas,
        IReadOnlyList<(string Name, double Share)> OwnMethods, IReadOnlyList<(string Name, double Share)> Leaves);

    /// <summary>Samples the process for <paramref name="window"/> while <paramref name="load"/> runs; null with the reason when perf cannot.</summary>
    public static async Task<(Result? Result, string? Failure)> RecordAsync(int pid, string file, TimeSpan window, Func<Task> load)
    {
        var record = Run("perf", ["record", "-e", "cpu-clock", "-F", "997", "-g", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file,
            "--", "sleep", window.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)]);
        if (record is null)
        {
            return (null, "perf is not installed (Debian: linux-perf)");
        }
        // Both pipes are drained while perf runs: a full pipe would stop it.
        var recordErrorsRead = record.StandardError.ReadToEndAsync();
        var recordOutputRead = record.StandardOutput.ReadToEndAsync();
        await load();
        await record.WaitForExitAsync();
        var recordErrors = await recordErrorsRead;
        await recordOutputRead;
        if (record.ExitCode != 0 || !File.Exists(file))
        {
            return (null, $"perf record failed ({record.ExitCode}): {recordErrors.Trim()}");
        }
        var script = Run("perf", ["script", "-i", file, "-F", "ip,sym,dso"])!;
        var scriptErrorsRead = script.StandardError.ReadToEndAsync();
        var result = await FoldAsync(script.StandardOutput);
        await script.WaitForExitAsync();
        await scriptErrorsRead;
        File.Delete(file);
        return result.Samples == 0 ? (null, "perf recorded no samples") : (result, null);
    }

    private static Process? Run(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        try
        {
            return Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\s+[0-9a-f]+\s+(.*)\s+\((.*)\)$")]
    private static partial Regex FrameLine();

    private static async Task<Result> FoldAsync(StreamReader output)
    {
        var areas = new Dictionary<string, long>();
        var own = new Dictionary<string, long>();
        var leaves = new Dictionary<string, long>();
        long samples = 0;
        var frames = new List<(string Name, string Dso)>(64);
        void Flush()
        {
            if (frames.Count == 0)
            {
                return;
            }
            samples++;
            Add(leaves, frames[0].Dso.Contains("perf-", StringComparison.Ordinal) ? frames[0].Name : $"{frames[0].Name} ({Path.GetFileName(frames[0].Dso)})");
            Add(areas, AreaOf(frames));
            foreach (var method in frames.Where(f => f.Name.StartsWith("ContactCenter.", StringComparison.Ordinal)).Select(f => f.Name).Distinct())
            {
                Add(own, method);
            }
            frames.Clear();
        }
        while (await output.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                Flush();
                continue;
            }
            var m = FrameLine().Match(line);
            if (m.Success)
            {
                frames.Add((MethodName(m.Groups[1].Value), m.Groups[2].Value));
            }
        }
        Flush();
        IReadOnlyList<(string, double)> Top(Dictionary<string, long> counts, int n) =>
            counts.OrderByDescending(kv => kv.Value).Take(n).Select(kv => (kv.Key, kv.Value / (double)Math.Max(1, samples))).ToList();
        return new Result(samples, samples / 997.0, Top(areas, 20), Top(own, 15), Top(leaves, 15));

        static void Add(Dictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
    }

    private static string AreaOf(List<(string Name, string Dso)> frames)
    {
        if (frames.Any(f => f.Dso.EndsWith("libcoreclr.so", StringComparison.Ordinal) && (f.Name.Contains("gc_heap", StringComparison.Ordinal) || f.Name.Contains("GCHeap", StringComparison.Ordinal))))
        {
            return "Garbage collection";
        }
        if (frames.Any(f => f.Dso.EndsWith("libclrjit.so", StringComparison.Ordinal)))
        {
            return "JIT compiler";
        }
        foreach (var table in new[] { Libraries, Generic })
        {
            foreach (var (name, _) in frames)
            {
                var area = table.FirstOrDefault(a => name.StartsWith(a.Prefix, StringComparison.Ordinal)).Area;
                if (area is not null)
                {
                    return area;
                }
            }
        }
        var leaf = frames[0].Dso;
        return leaf.Contains("kernel", StringComparison.Ordinal) ? "Kernel (other)"
            : leaf.EndsWith("libcoreclr.so", StringComparison.Ordinal) ? "Runtime (other)"
            : leaf.Contains("libcrypto", StringComparison.Ordinal) || leaf.Contains("libssl", StringComparison.Ordinal) ? "Cryptography (webhook HMAC)"
            : "Other";
    }

    /// <summary>
    /// perf map names look like "instance void [Npgsql] Npgsql.NpgsqlConnector+&lt;Flush&gt;d__1::MoveNext()[OptimizedTier1]":
    /// kept as "Npgsql.NpgsqlConnector.Flush" (an async state machine named after its method).
    /// </summary>
    private static string MethodName(string symbol)
    {
        var name = symbol;
        var plus = name.IndexOf("+0x", StringComparison.Ordinal);
        if (plus > 0)
        {
            name = name[..plus];
        }
        var colons = name.IndexOf("::", StringComparison.Ordinal);
        if (colons < 0)
        {
            return name;
        }
        var typeStart = name.LastIndexOf(' ', colons) + 1;
        var type = name[typeStart..colons];
        var method = name[(colons + 2)..];
        var paren = method.IndexOf('(', StringComparison.Ordinal);
        method = paren > 0 ? method[..paren] : method;
        var lt = type.IndexOf("+<", StringComparison.Ordinal);
        if (lt > 0 && type.IndexOf('>', lt) is var end and > 0)
        {
            return type[..lt] + "." + type[(lt + 2)..end];
        }
        return $"{type}.{method}";
    }
}
