using ContactCenter.Benchmarks.Infrastructure;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>The report's rows: the app's push latencies and deliveries, and the app beside the bare hub.</summary>
public static partial class PushLatency
{
    public static void AddRows(BenchContext ctx, string scenario, string nodes, Outcome o)
    {
        ctx.Report.Add(new Row(scenario, $"Push latency webhook -> each manager's messageCreated ({o.Connected} managers, {nodes})",
            $"p50 {Fmt.Ms(o.PerDelivery.PercentileMs(50))}, p99 {Fmt.Ms(o.PerDelivery.PercentileMs(99))}, max {Fmt.Ms(o.PerDelivery.MaxMs)}",
            Goal: "p99 <= 50 ms", Met: o.PerDelivery.Count == 0 ? null : o.PerDelivery.PercentileMs(99) <= 50,
            Note: $"inbound at {o.AchievedRate:0.0} msg/s (target {o.TargetRate:0.0} = half the max ingest rate; at most {ctx.Size.HttpConcurrency} requests in flight, "
                + "latency counted from the actual send); "
                + $"{o.PerDelivery.Count:N0} deliveries; "
                + $"other people's processes used {o.Cpu.OthersShare:P0} of the machine")
        { Number = o.PerDelivery.PercentileMs(99) });
        ctx.Report.Add(new Row(scenario, $"Push: until the last of {o.Connected} managers had it (per message)",
            $"p50 {Fmt.Ms(o.ToAll.PercentileMs(50))}, p99 {Fmt.Ms(o.ToAll.PercentileMs(99))}, max {Fmt.Ms(o.ToAll.MaxMs)}")
        { Number = o.ToAll.PercentileMs(99) });
        ctx.Report.Add(new Row(scenario, $"Push with nothing queued: {o.IdleMessages} messages one at a time, until all {o.Connected} managers had each",
            o.IdleToAll.Count == 0 ? "none reached all managers within 15 s (the app was still behind)" : $"p50 {Fmt.Ms(o.IdleToAll.PercentileMs(50))}, max {Fmt.Ms(o.IdleToAll.MaxMs)}", Goal: "p99 <= 50 ms",
            Met: o.IdleToAll.Count == 0 ? false : o.IdleToAll.MaxMs <= 50, Note: "the floor: the latency of one push when the app is not behind")
        { Number = o.IdleToAll.MaxMs });
        ctx.Report.Add(new Row(scenario, $"Push: missing / duplicate deliveries ({nodes})", $"{o.Missing:N0} / {o.Duplicates:N0}", Goal: "0 / 0",
            Met: o.Missing == 0 && o.Duplicates == 0,
            Note: $"{o.Expected:N0} expected (messages stored x {o.Connected} managers; {o.Messages:N0} sent){(o.FailedSends > 0 ? $"; {o.FailedSends} requests failed or timed out (60 s) on the client" : "")}")
        { Number = o.Missing + o.Duplicates });
    }

    /// <summary>The app's worst-case push beside the bare hub doing the same deliveries: the ratios the issue asks for.</summary>
    private static void AddBareRows(BenchContext ctx, Outcome app, BareFanOut.Outcome bare)
    {
        const string scenario = "3 push";
        var appP99 = app.PerDelivery.PercentileMs(99);
        var bareP99 = bare.PerDelivery.PercentileMs(99);
        ctx.BarePushP99Ms = bareP99;
        ctx.Report.Add(new Row(scenario, $"Bare hub, the same fan-out: POST -> each of {bare.Connected} connections' messageCreated (3 events per message to all)",
            $"p50 {Fmt.Ms(bare.PerDelivery.PercentileMs(50))}, p99 {Fmt.Ms(bareP99)}, max {Fmt.Ms(bare.PerDelivery.MaxMs)}",
            Note: $"{bare.Messages:N0} messages at {bare.AchievedRate:0.0}/s (the app's achieved rate); {bare.Delivered:N0} of {bare.Expected:N0} delivered, "
                + $"{bare.Duplicates:N0} doubled; the same client, timed the same way")
        { Number = bareP99 });
        ctx.Report.Add(new Row(scenario, "Push p99 vs the bare hub at the same deliveries/s", Fmt.Ms(appP99), $"{Fmt.Ms(bareP99)} (bare hub)", Fmt.Ratio(appP99 / bareP99),
            Goal: "<= 1.2x", Met: double.IsNaN(appP99) || double.IsNaN(bareP99) ? null : appP99 <= 1.2 * bareP99,
            Note: "what the app adds to a push: the webhook's storing, the audience and one send per user group")
        { Number = appP99 / bareP99 });
        var appRate = app.Window > TimeSpan.Zero ? app.PerDelivery.Count / app.Window.TotalSeconds : double.NaN;
        var bareRate = bare.Window > TimeSpan.Zero ? bare.Delivered / bare.Window.TotalSeconds : double.NaN;
        ctx.Report.Add(new Row(scenario, "Push deliveries/s vs the bare hub (same offered messages/s)", $"{appRate:N0}/s", $"{bareRate:N0}/s (bare hub)", Fmt.Ratio(appRate / bareRate),
            Goal: ">= 0.8x", Met: double.IsNaN(appRate) || double.IsNaN(bareRate) ? null : appRate >= 0.8 * bareRate,
            Note: "deliveries over the time from the first send to the last delivery; below 1x means the app fell behind the offered rate")
        { Number = appRate / bareRate });
    }
}
