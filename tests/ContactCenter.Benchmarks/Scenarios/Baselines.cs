using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ContactCenter.Benchmarks.Infrastructure;
using Npgsql;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Scenario 1: what this machine can do at all, measured now: pgbench one-row INSERTs (the storage ceiling),
/// a bare Kestrel endpoint reading a 500-byte JSON body (the HTTP ceiling), the same plus one INSERT, and a
/// bare SignalR hub's memory per idle connection and broadcast time.
/// </summary>
public static partial class Baselines
{
    private const string Scenario = "1 baselines";

    public static async Task RunAsync(BenchContext ctx)
    {
        await PgBenchAsync(ctx);
        // The hub first, while the bare server is fresh: the app's memory is measured on a fresh node too.
        await BareHubAsync(ctx);
        await BareHttpAsync(ctx, "/echo", "Bare Kestrel: 500-byte JSON POST", isCeiling: true);
        await BareHttpAsync(ctx, "/insert", "Bare Kestrel + one Npgsql INSERT", isCeiling: false);
    }

    public static async Task PrepareBaselineTableAsync(BenchContext ctx)
    {
        await using var db = new BenchDb(ctx.BaselineConnection);
        await db.ExecuteAsync("""
            create table if not exists bench_messages (
                id bigint generated always as identity primary key,
                external_id text not null unique,
                conversation_id bigint not null,
                text text,
                created_at timestamptz not null default now())
            """);
    }

    /// <summary>Starts the bare server (also the Bot API stand-in for the Telegram channel); it runs until the tool exits.</summary>
    public static async Task StartBareServerAsync(BenchContext ctx)
    {
        await PrepareBaselineTableAsync(ctx);
        var self = typeof(Baselines).Assembly.Location;
        // The app's garbage collector (workstation, concurrent: ContactCenter.Api.csproj), so that memory per connection and
        // the fan-out compare like with like. Until session 25 this said "server GC like the app" and ran server GC, which
        // the app had left (commit 90d2067): server GC's larger allocation budgets made the bare hub's memory per connection
        // look higher than it is with the app's collector.
        Children.Start("dotnet", [self, "bare-server", "--port", BenchOptions.BarePort.ToString(CultureInfo.InvariantCulture), "--pg", ctx.BaselineConnection],
            null, new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "1" }, Path.Combine(ctx.Options.WorkDir, "bare-server.log"));
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var r = await ctx.Http.GetAsync(ctx.BareUrl + "/ready");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The bare server did not start: " + Children.Tail(Path.Combine(ctx.Options.WorkDir, "bare-server.log")));
    }

    public static int BareServerPid(BenchContext ctx)
    {
        foreach (var line in File.ReadAllLines(Path.Combine(ctx.Options.WorkDir, "pids")))
        {
            if (int.TryParse(line, out var pid) && File.Exists($"/proc/{pid}/cmdline")
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains("bare-server", StringComparison.Ordinal))
            {
                return pid;
            }
        }
        throw new InvalidOperationException("The bare server is not running.");
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();

    private static async Task PgBenchAsync(BenchContext ctx)
    {
        var cs = new NpgsqlConnectionStringBuilder(ctx.BaselineConnection);
        var script = Path.Combine(ctx.Options.WorkDir, "insert.pgbench");
        await File.WriteAllTextAsync(script, """
            \set c random(1, 100000)
            insert into bench_messages (external_id, conversation_id, text) values (gen_random_uuid()::text, :c, 'Hello! A question about my order: when will it ship, and can I change the address? Thanks.');

            """);
        await using var db = new BenchDb(ctx.BaselineConnection);
        var walBefore = await db.WalSyncsAsync();
        var walMsBefore = await db.WalSyncMsAsync();
        var seconds = (int)ctx.Size.PgBench.TotalSeconds;
        var psi = new ProcessStartInfo(ctx.Options.PgBench)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-n", "-c", "16", "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script,
                     "-h", cs.Host!, "-p", cs.Port.ToString(CultureInfo.InvariantCulture), "-U", cs.Username ?? "postgres", cs.Database! })
        {
            psi.ArgumentList.Add(a);
        }
        string output;
        using (new Progress("pgbench INSERT, 16 clients", ctx.Size.PgBench, () => "running"))
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            output = await stdout + await stderr;
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException("pgbench failed: " + output);
            }
        }
        var tps = double.Parse(TpsLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var latency = LatencyLine().Match(output) is { Success: true } m ? m.Groups[1].Value + " ms" : "?";
        var transactions = tps * seconds;
        var wal = (await db.WalSyncsAsync() - walBefore) / Math.Max(1, transactions);
        var walMs = (await db.WalSyncMsAsync() - walMsBefore) / Math.Max(1, transactions);
        ctx.PgBenchTps = tps;
        ctx.PgBenchWalPerTx = wal;
        ctx.Report.Add(new Row(Scenario, "pgbench one-row INSERT, unique key, 16 clients (storage ceiling)", $"{tps:N0} TPS",
            Note: $"synchronous_commit on, fsync on; mean latency {latency}; {wal:0.00} WAL flushes ({walMs:0.00} ms of fsync) per transaction") { Number = tps });
    }

    private static async Task BareHttpAsync(BenchContext ctx, string path, string figure, bool isCeiling)
    {
        var url = ctx.BareUrl + path;
        long seq = 0;
        HttpRequestMessage Make(int _)
        {
            var r = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Traffic.FiveHundredBytes(Interlocked.Increment(ref seq))) };
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return r;
        }
        using var client = HttpLoad.NewClient(ctx.Size.HttpConcurrency);
        await HttpLoad.RunAsync("warm-up " + path, client, ctx.Size.HttpConcurrency, TimeSpan.FromSeconds(1), Make, HttpLoad.Success);
        var result = await HttpLoad.RunAsync(figure, client, ctx.Size.HttpConcurrency, ctx.Size.BareHttp, Make, HttpLoad.Success);
        var rate = result.OkPerSecond;
        if (isCeiling)
        {
            ctx.BareHttpRps = rate;
            ctx.Report.Add(new Row(Scenario, figure + " (HTTP ceiling)", $"{rate:N0} req/s",
                Note: $"{ctx.Size.HttpConcurrency} connections, the bench's own load generator; {result.Latency.Summary()} {result.ErrorText}".Trim()) { Number = rate });
        }
        else
        {
            ctx.Report.Add(new Row(Scenario, figure, $"{rate:N0} req/s", $"{ctx.BareHttpRps:N0} req/s (bare)", Fmt.Ratio(rate / ctx.BareHttpRps),
                Note: $"{result.Latency.Summary()} {result.ErrorText}".Trim()) { Number = rate });
        }
    }

    private static async Task BareHubAsync(BenchContext ctx)
    {
        var pid = BareServerPid(ctx);
        var count = ctx.ConnectionTarget;
        await Task.Delay(1000);
        var before = ProcStats.RssBytes(pid);
        await using var holders = await HolderGroup.ConnectAsync(ctx.Options, $"bare hub: {count:N0} connections", ctx.BareUrl + "/hubs/bare", null,
            count, ctx.Size.ConnectLimit, "countersChanged");
        await Task.Delay(3000);
        var after = ProcStats.RssBytes(pid);
        var connected = holders.Connected;
        var perConnection = connected == 0 ? double.NaN : (after - before) / (double)connected;
        ctx.BareHubBytesPerConnection = perConnection;
        ctx.BareHubConnections = connected;
        ctx.Report.Add(new Row(Scenario, "Bare SignalR hub: memory per idle WebSocket connection", Fmt.Bytes(perConnection),
            Note: $"RSS growth over {connected:N0} connections ({holders.Failed} failed{(holders.FirstError is { } e ? ": " + e : "")})") { Number = perConnection });

        var times = new List<double>();
        for (var round = 0; round < ctx.Size.FanoutRounds; round++)
        {
            await holders.MarkAsync();
            var start = Stopwatch.GetTimestamp();
            using (await ctx.Http.PostAsync(ctx.BareUrl + "/broadcast", null))
            {
            }
            var (stamps, _) = await holders.CollectAsync(TimeSpan.FromSeconds(20));
            if (stamps.Count > 0)
            {
                times.Add((stamps.Max() - start) * 1000.0 / Stopwatch.Frequency);
            }
            await Task.Delay(500);
        }
        if (times.Count > 0)
        {
            var inOrder = string.Join(", ", times.Select(Fmt.Ms));
            times.Sort();
            ctx.BareBroadcastMs = times[times.Count / 2];
            ctx.Report.Add(new Row(Scenario, $"Bare SignalR hub: broadcast reaching all {connected:N0} connections", Fmt.Ms(ctx.BareBroadcastMs),
                Note: $"median of {times.Count} rounds, until the last connection got it; rounds in order: {inOrder}") { Number = ctx.BareBroadcastMs });
        }
    }
}
