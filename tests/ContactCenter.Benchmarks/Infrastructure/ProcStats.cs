using System.Globalization;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>Reads CPU time and memory of processes from /proc (Linux only; clock ticks are 100 per second there).</summary>
public static class ProcStats
{
    public const double TicksPerSecond = 100;

    /// <summary>Fields after the ")" that ends the command name: [0] is state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>User + system CPU ticks of one process (0 when it is gone).</summary>
    public static long CpuTicks(int pid)
    {
        var f = StatFields(pid);
        return f is null ? 0 : long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// CPU ticks of a process and all of its children, live or exited (the exited ones through the parent's
    /// cutime/cstime): for PostgreSQL, the postmaster and its backends.
    /// </summary>
    public static long TreeCpuTicks(int parentPid)
    {
        var own = StatFields(parentPid);
        if (own is null)
        {
            return 0;
        }
        long total = 0;
        for (var i = 11; i <= 14; i++)
        {
            total += long.Parse(own[i], CultureInfo.InvariantCulture);
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == parentPid)
            {
                continue;
            }
            var f = StatFields(pid);
            if (f is not null && f[1] == parentPid.ToString(CultureInfo.InvariantCulture))
            {
                total += long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    public static int? ParentPid(int pid) => StatFields(pid) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : null;

    /// <summary>Resident set size in bytes (VmRSS).</summary>
    public static long RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>(busy, total) ticks of the whole machine from /proc/stat; busy excludes idle and iowait.</summary>
    public static (long Busy, long Total) MachineTicks()
    {
        var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var total = v.Sum();
        return (total - v[3] - v[4], total);
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public static int OpenFilesLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts[0] == "unlimited" ? int.MaxValue : int.Parse(parts[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or FormatException)
        {
            return 1024;
        }
    }
}

/// <summary>CPU used during a measured window, by the processes we know and by everyone else on the machine.</summary>
public sealed class CpuWindow
{
    private readonly int[] appPids;
    private readonly int? postmasterPid;
    private readonly long appStart;
    private readonly long pgStart;
    private readonly TimeSpan benchStart;
    private readonly (long Busy, long Total) machineStart;

    public CpuWindow(IEnumerable<int> appPids, int? postmasterPid)
    {
        this.appPids = appPids.ToArray();
        this.postmasterPid = postmasterPid;
        appStart = this.appPids.Sum(ProcStats.CpuTicks);
        pgStart = postmasterPid is { } p ? ProcStats.TreeCpuTicks(p) : 0;
        benchStart = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        machineStart = ProcStats.MachineTicks();
    }

    public sealed record Usage(double AppSeconds, double PostgresSeconds, double BenchSeconds, double MachineBusySeconds, double MachineCapacitySeconds)
    {
        /// <summary>Share of the machine's CPU used by processes outside this benchmark (other people's work).</summary>
        public double OthersShare => MachineCapacitySeconds <= 0 ? 0
            : Math.Max(0, MachineBusySeconds - AppSeconds - PostgresSeconds - BenchSeconds) / MachineCapacitySeconds;
    }

    public Usage Stop()
    {
        var machine = ProcStats.MachineTicks();
        return new Usage(
            (appPids.Sum(ProcStats.CpuTicks) - appStart) / ProcStats.TicksPerSecond,
            postmasterPid is { } p ? (ProcStats.TreeCpuTicks(p) - pgStart) / ProcStats.TicksPerSecond : 0,
            (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - benchStart).TotalSeconds,
            (machine.Busy - machineStart.Busy) / ProcStats.TicksPerSecond,
            (machine.Total - machineStart.Total) / ProcStats.TicksPerSecond);
    }
}
