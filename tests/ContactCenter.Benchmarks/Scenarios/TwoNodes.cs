using ContactCenter.Benchmarks.Infrastructure;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Scenario 6: scenarios 2 and 3 again with two app nodes sharing PostgreSQL and the Redis backplane;
/// senders and managers are spread over both nodes. The scaling ratio is two nodes' rate over one node's.
/// </summary>
public static class TwoNodes
{
    private const string Scenario = "6 two nodes";

    public static async Task RunAsync(BenchContext ctx)
    {
        await ctx.EnsureAppAsync();
        ctx.NodeB ??= await AppNode.StartAsync(ctx.Options, "B", BenchOptions.PortB, ctx.AppConnection);
        AppNode[] nodes = [ctx.NodeA!, ctx.NodeB];

        var ingest = await Ingest.MeasureAsync(ctx, "ingest, 2 nodes", nodes, ctx.Size.TwoNodeIngest);
        var scaling = ingest.StoredPerSecond / ctx.IngestRate;
        ctx.Report.Add(new Row(Scenario, "Inbound messages stored/s (2 nodes, Redis backplane)", $"{ingest.StoredPerSecond:N0} msg/s",
            double.IsNaN(ctx.IngestRate) ? "" : $"{ctx.IngestRate:N0} msg/s (1 node)", Fmt.Ratio(scaling),
            Note: $"scaling ratio{(double.IsNaN(ctx.PgBenchTps) ? "" : $"; vs pgbench {Fmt.Ratio(ingest.StoredPerSecond / ctx.PgBenchTps)}")}; both nodes share the same 2 cores and PostgreSQL; "
                + $"request latency {ingest.Load.Latency.Summary()}; {ingest.Load.ErrorText}".TrimEnd(' ', ';'))
        { Number = ingest.StoredPerSecond });

        var rate = Math.Max(1, (double.IsNaN(ingest.StoredPerSecond) ? 50 : ingest.StoredPerSecond) / 2);
        var push = await PushLatency.MeasureAsync(ctx, "push, 2 nodes", nodes, ctx.Size.TwoNodePush, rate);
        PushLatency.AddRows(ctx, Scenario, "2 nodes", push);
        var p99 = push.PerDelivery.PercentileMs(99);
        ctx.Report.Add(new Row(Scenario, "Push p99, 2 nodes vs 1 node", Fmt.Ms(p99), double.IsNaN(ctx.PushP99Ms) ? "" : $"{Fmt.Ms(ctx.PushP99Ms)} (1 node)",
            Fmt.Ratio(p99 / ctx.PushP99Ms), Note: "half the managers on each node; a push to a manager on the other node crosses Redis")
        { Number = p99 });

        await ctx.NodeB.DisposeAsync();
        ctx.NodeB = null;
    }
}
