using System.Diagnostics;
using ContactCenter.Benchmarks.Infrastructure;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2 (and the ingest half of 6): concurrent senders post inbound messages over HTTP in the api and
/// Telegram formats; the figure is messages STORED per second (counted in the database), compared with the
/// pgbench one-row INSERT ceiling, plus CPU and WAL flushes per stored message.
/// </summary>
public static class Ingest
{
    public sealed record Outcome(double StoredPerSecond, HttpLoad.Result Load, CpuWindow.Usage Cpu, double WalPerMessage, double WalSyncMsPerMessage, long Stored)
    {
        /// <summary>The first node's CPU profile, from a window of its own after the measured one (the sampling costs CPU).</summary>
        public AppCpuProfile.Result? AppProfile { get; init; }

        public TimeSpan AppProfileWindow { get; init; }

        public string? AppProfileFailure { get; init; }
    }

    public static async Task<Outcome> MeasureAsync(BenchContext ctx, string title, IReadOnlyList<AppNode> nodes, TimeSpan duration, Func<Task>? beforeMeasure = null, TimeSpan? profileWindow = null, Func<Outcome, Task>? afterMeasure = null)
    {
        var targets = ctx.Ingest!;
        var known = await ContactPool.EnsureAsync(ctx);
        var traffic = new Traffic(targets, ctx.RunTag, $"{ctx.RunTag}-{nodes.Count}n", nodes.Count * 10_000_000L, known);
        var channels = new[] { targets.ApiChannelId, targets.TelegramChannelId!.Value };
        var client = ctx.Http;
        HttpRequestMessage Make(int worker) => traffic.Next(nodes[worker % nodes.Count].BaseUrl).Request;

        await HttpLoad.RunAsync($"{title}: warm-up", client, ctx.Size.HttpConcurrency, ctx.Size.IngestWarmup, Make, HttpLoad.Success,
            () => $"{traffic.Contacts:N0} contacts");
        if (beforeMeasure is not null)
        {
            await beforeMeasure();
        }
        var countBefore = await ctx.AppDb.CountMessagesAsync(channels);
        var walBefore = await ctx.AppDb.WalSyncsAsync();
        var walMsBefore = await ctx.AppDb.WalSyncMsAsync();
        var cpu = new CpuWindow(nodes.Select(n => n.Pid), ctx.PostmasterPid);
        var sw = Stopwatch.StartNew();
        var load = await HttpLoad.RunAsync(title, client, ctx.Size.HttpConcurrency, duration, Make, HttpLoad.Success,
            () => $"{traffic.Contacts:N0} contacts");
        // Counted while the last requests finish: what was stored in the window.
        var countAfter = await ctx.AppDb.CountMessagesAsync(channels);
        var elapsed = sw.Elapsed;
        var usage = cpu.Stop();
        var walAfter = await ctx.AppDb.WalSyncsAsync();
        var walMsAfter = await ctx.AppDb.WalSyncMsAsync();
        var stored = countAfter - countBefore;
        var outcome = new Outcome(stored / elapsed.TotalSeconds, load, usage, (walAfter - walBefore) / (double)Math.Max(1, stored),
            (walMsAfter - walMsBefore) / Math.Max(1, stored), stored);
        if (afterMeasure is not null)
        {
            await afterMeasure(outcome);
        }
        if (profileWindow is not { } window)
        {
            return outcome;
        }
        // A window of its own after the measured one: sampling costs CPU, and the statement profile is already taken.
        var (profile, failure) = await AppCpuProfile.RecordAsync(nodes[0].Pid, Path.Combine(ctx.Options.WorkDir, $"perf-{nodes[0].Name}-ingest.data"), window,
            () => HttpLoad.RunAsync($"{title}: app CPU profile (perf)", client, ctx.Size.HttpConcurrency, window, Make, HttpLoad.Success,
                () => $"{traffic.Contacts:N0} contacts"));
        return outcome with { AppProfile = profile, AppProfileFailure = failure, AppProfileWindow = window };
    }

    public static async Task RunAsync(BenchContext ctx)
    {
        const string scenario = "2 ingest";
        await ctx.EnsureAppAsync();
        var outcome = await MeasureAsync(ctx, "ingest, 1 node", [ctx.NodeA!], ctx.Size.Ingest, () => IngestProfile.ResetAsync(ctx), ctx.Size.IngestProfile,
            o => IngestProfile.ReportAsync(ctx, o));
        ctx.IngestRate = outcome.StoredPerSecond;
        var ratio = outcome.StoredPerSecond / ctx.PgBenchTps;
        ctx.Report.Add(new Row(scenario, "Inbound messages stored/s (api + Telegram webhooks, 1 node)", $"{outcome.StoredPerSecond:N0} msg/s",
            double.IsNaN(ctx.PgBenchTps) ? "(pgbench not run)" : $"{ctx.PgBenchTps:N0} TPS (pgbench)", Fmt.Ratio(ratio), ">= 1.00x", double.IsNaN(ratio) ? null : ratio >= 1.0,
            $"{ctx.Size.HttpConcurrency} concurrent senders, 90% returning / 10% new contacts, 1% redeliveries; {outcome.Load.ErrorText}".TrimEnd(' ', ';'))
        { Number = outcome.StoredPerSecond });
        ctx.Report.Add(new Row(scenario, "Inbound request latency", outcome.Load.Latency.Summary()));
        var perMessage = outcome.Stored == 0 ? double.NaN : 1.0 / outcome.Stored;
        ctx.Report.Add(new Row(scenario, "CPU per stored message",
            $"app {Fmt.Ms(outcome.Cpu.AppSeconds * 1000 * perMessage)} + PostgreSQL {Fmt.Ms(outcome.Cpu.PostgresSeconds * 1000 * perMessage)}",
            Note: $"load generator {Fmt.Ms(outcome.Cpu.BenchSeconds * 1000 * perMessage)}; other people's processes used {outcome.Cpu.OthersShare:P0} of the machine meanwhile")
        { Number = (outcome.Cpu.AppSeconds + outcome.Cpu.PostgresSeconds) * 1000 * perMessage });
        ctx.Report.Add(new Row(scenario, "WAL flushes per stored message", $"{outcome.WalPerMessage:0.00}",
            double.IsNaN(ctx.PgBenchWalPerTx) ? "" : $"{ctx.PgBenchWalPerTx:0.00} (pgbench)", "",
            Note: $"1.00 = one fsync per message, commits not shared; {outcome.WalSyncMsPerMessage:0.00} ms of WAL fsync per message") { Number = outcome.WalPerMessage });
        IngestProfile.AppCpu(ctx, outcome);
        Progress.Say(double.IsNaN(ratio)
            ? $"  >>> Ingest: {outcome.StoredPerSecond:N0} stored msg/s (no ratio: pgbench did not run)"
            : $"  >>> Ingest ratio: {Fmt.Ratio(ratio)} of the pgbench one-row INSERT ceiling ({outcome.StoredPerSecond:N0} stored msg/s vs {ctx.PgBenchTps:N0} TPS; goal >= 1.00x: {(ratio >= 1 ? "met" : "NOT met")})");
    }
}
