using System.Diagnostics;
using System.Runtime.InteropServices;
using ContactCenter.Benchmarks.Infrastructure;
using ContactCenter.Benchmarks.Scenarios;

namespace ContactCenter.Benchmarks;

/// <summary>Runs the scenarios in order (1, 2, 3, 4, 6, 5: the big seed comes last so it cannot slow the others), then prints and writes the table.</summary>
public static class Runner
{
    public static async Task<int> RunAsync(BenchOptions o)
    {
        Children.Init(o.WorkDir);
        var clock = Stopwatch.StartNew();
        await using var ctx = new BenchContext(o);
        var mode = o.Quick ? "quick" : "full";
        Describe(ctx);
        if (o.AppEnvironment.Count > 0)
        {
            ctx.Report.Note($"The app ran with extra environment: {string.Join("; ", o.AppEnvironment.Select(kv => $"{kv.Key}={kv.Value}"))}.");
        }
        if (o.AppConnectionExtra.Length > 0)
        {
            ctx.Report.Note($"The app ran with extra connection string options: {o.AppConnectionExtra}.");
        }
        Console.WriteLine($"ContactCenter benchmarks ({mode}); app logs and helper output in {o.WorkDir}");

        await Baselines.StartBareServerAsync(ctx);
        await StepAsync(ctx, "baselines", "1. Baselines: what this machine can do", () => Baselines.RunAsync(ctx));
        await StepAsync(ctx, "ingest", "2. Ingest through the real webhooks", () => Ingest.RunAsync(ctx));
        await StepAsync(ctx, "push", "3. Push latency to managers", () => PushLatency.RunAsync(ctx));
        await StepAsync(ctx, "push", "3b. Push latency, realistic audience", () => RealisticPush.RunAsync(ctx));
        var connectionsRan = await StepAsync(ctx, "connections", "4. Idle connections and fan-out", () => Connections.RunAsync(ctx));
        if (connectionsRan && ctx.NodeA is not null && (o.Runs("twonodes") || o.Runs("queries")))
        {
            // Thousands of connections leave node A's heap large: start it afresh for what follows.
            Progress.Say("  (restarting node A)");
            await ctx.RestartNodeAAsync();
        }
        await StepAsync(ctx, "twonodes", "6. Two nodes with the Redis backplane", () => TwoNodes.RunAsync(ctx));
        await StepAsync(ctx, "queries", "5. Queries over seeded data", () => Queries.RunAsync(ctx));

        ctx.Report.Machine("load average at the end", ProcStats.LoadAverage());
        var took = clock.Elapsed;
        Console.WriteLine();
        Console.WriteLine($"ContactCenter benchmarks ({mode}, {took.TotalMinutes:0.0} min) on {ctx.MachineLine}");
        Console.WriteLine();
        Console.Write(ctx.Report.Table());
        ctx.Report.PrintNotes();
        Directory.CreateDirectory(o.ResultsDir);
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var md = ctx.Report.Markdown($"ContactCenter benchmarks ({mode}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {took.TotalMinutes:0.0} min)");
        var json = ctx.Report.Json(mode, took);
        foreach (var name in new[] { $"bench-{mode}-{stamp}", $"latest-{mode}" })
        {
            await File.WriteAllTextAsync(Path.Combine(o.ResultsDir, name + ".md"), md);
            await File.WriteAllTextAsync(Path.Combine(o.ResultsDir, name + ".json"), json);
        }
        Console.WriteLine();
        Console.WriteLine($"Written: {Path.Combine(o.ResultsDir, $"bench-{mode}-{stamp}")}.{{md,json}} (and latest-{mode}.*)");
        if (ctx.Report.Rows.FirstOrDefault(r => r.Scenario == "2 ingest" && r.Ratio.Length > 0 && r.Baseline.Contains("TPS", StringComparison.Ordinal)) is { } ingest)
        {
            Console.WriteLine($"Ingest ratio: {ingest.Ratio} of the pgbench one-row INSERT ceiling ({ingest.Value} vs {ingest.Baseline}; goal >= 1.00x: {(ingest.Met == true ? "met" : "NOT met")})");
        }
        if (!double.IsNaN(ctx.PushP99Ms) && !double.IsNaN(ctx.BarePushP99Ms))
        {
            var ratio = ctx.PushP99Ms / ctx.BarePushP99Ms;
            Console.WriteLine($"Push p99 ratio: {Fmt.Ratio(ratio)} of the bare hub's at the same deliveries/s ({Fmt.Ms(ctx.PushP99Ms)} vs {Fmt.Ms(ctx.BarePushP99Ms)}; goal <= 1.20x: {(ratio <= 1.2 ? "met" : "NOT met")})");
        }
        Children.KillAll();
        return ctx.Report.Rows.Any(r => r.Value.StartsWith("FAILED", StringComparison.Ordinal)) ? 1 : 0;
    }

    private static async Task<bool> StepAsync(BenchContext ctx, string name, string title, Func<Task> step)
    {
        if (!ctx.Options.Runs(name))
        {
            return false;
        }
        Console.WriteLine();
        Console.WriteLine($"== {title} (load average {ProcStats.LoadAverage()})");
        var sw = Stopwatch.StartNew();
        try
        {
            await step();
        }
        catch (Exception ex)
        {
            ctx.Report.Add(new Row(name, $"scenario {name}", "FAILED", Note: ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" ")));
            Console.Error.WriteLine(ex);
        }
        foreach (var node in new[] { ctx.NodeA, ctx.NodeB })
        {
            if (node is not null && !node.Alive)
            {
                // Said plainly, with the app's last words; later scenarios get a fresh node.
                var tail = Children.Tail(node.LogFile, 400).Split('\n')
                    .Where(l => l.StartsWith("crit:", StringComparison.Ordinal) || l.Contains("Exception:", StringComparison.Ordinal))
                    .Select(l => l.Trim()).Distinct().Take(2);
                ctx.Report.Note($"App node {node.Name} EXITED during '{name}': {string.Join(" / ", tail)} (log: {node.LogFile}).");
                Progress.Say($"  !!! app node {node.Name} exited during {name}; see {node.LogFile}");
            }
        }
        if (ctx.NodeB is { Alive: false })
        {
            ctx.NodeB = null;
        }
        if (ctx.NodeA is { Alive: false })
        {
            await ctx.RestartNodeAAsync();
        }
        Console.WriteLine($"   ({sw.Elapsed.TotalSeconds:0} s)");
        return true;
    }

    private static void Describe(BenchContext ctx)
    {
        string cpu;
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        }
        catch (IOException)
        {
            cpu = "?";
        }
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024;
        var r = ctx.Report;
        r.Machine("cpu", $"{Environment.ProcessorCount} x {cpu}");
        r.Machine("memory", $"{memory:0} GiB");
        r.Machine("os", RuntimeInformation.OSDescription);
        r.Machine(".NET", RuntimeInformation.FrameworkDescription);
        r.Machine("load average at the start", ProcStats.LoadAverage());
        r.Machine("sizes", ctx.Options.Quick ? "quick" : "full");
        ctx.MachineLine = $"{Environment.ProcessorCount} x {cpu}, {memory:0} GiB; load average at the start {ProcStats.LoadAverage()}";
    }
}
