using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContactCenter.Benchmarks.Infrastructure;
using ContactCenter.Connectors.Api;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: as many idle hub connections to one node as the machine allows within the time limit; the
/// app's memory per connection against the bare hub's, and how long a counters change takes to reach them all.
/// </summary>
public static class Connections
{
    private const string Scenario = "4 connections";

    public static async Task RunAsync(BenchContext ctx)
    {
        await ctx.EnsureAppAsync();
        // A fresh process, as the bare hub's was: a heap that earlier scenarios grew would hide what connections cost.
        await ctx.RestartNodeAAsync();
        var node = ctx.NodeA!;
        var target = ctx.ConnectionTarget;
        var limit = ProcStats.OpenFilesLimit();
        if (target < ctx.Size.Connections)
        {
            ctx.Report.Note($"Connections: {ctx.Size.Connections:N0} were asked for, {target:N0} tried: a process may open only {limit:N0} files here "
                + "(hard limit, not raisable in this sandbox), and the app needs some for PostgreSQL, Redis and its own files.");
        }
        // The web chat widget's hub is another area's work; where it is missing, every connection is a manager's:
        // as many managers as scenario 3 has, each with several connections (tabs, devices).
        var (widgetStatus, _) = await ctx.Admin!.GetAsync("/hubs/widget/negotiate");
        var managers = Math.Min(ctx.Size.Managers, target);
        if (widgetStatus == 404)
        {
            ctx.Report.Note($"Connections: this build has no /hubs/widget (web chat visitors), so the {target:N0} connections are {managers:N0} managers "
                + $"with about {target / managers} connections each (tabs, devices), all on /hubs/inbox; every one of them gets the counters change.");
        }

        List<BenchDb.User> users;
        using (new Progress($"connections: {managers:N0} manager accounts", null, () => "COPY"))
        {
            users = await ctx.AppDb.CreateUsersAsync("conn", managers, "manager", ctx.ConnectionsChannelId);
        }
        var tokensFile = Path.Combine(ctx.Options.WorkDir, "conn-tokens.txt");
        await File.WriteAllLinesAsync(tokensFile, BenchDb.Tokens(users));

        await Task.Delay(2000);
        var before = node.RssBytes;
        var clock = Stopwatch.StartNew();
        await using var holders = await HolderGroup.ConnectAsync(ctx.Options, $"connections: {target:N0} to node A", node.BaseUrl + "/hubs/inbox",
            tokensFile, target, ctx.Size.ConnectLimit, "countersChanged");
        var connectTook = clock.Elapsed;
        await Task.Delay(3000);
        var after = node.RssBytes;
        var connected = holders.Connected;
        ctx.Report.Add(new Row(Scenario, "Idle hub connections held by one node", $"{connected:N0}", "", "", ">= 20,000", connected >= 20_000,
            $"asked {target:N0}, {holders.Failed:N0} failed or closed by the app{(holders.FirstError is { } e ? $" ({e})" : "")}; connecting took {connectTook.TotalSeconds:0} s; "
            + $"open-files limit {limit:N0} per process")
        { Number = connected });

        var perConnection = connected == 0 ? double.NaN : (after - before) / (double)connected;
        var memRatio = perConnection / ctx.BareHubBytesPerConnection;
        ctx.Report.Add(new Row(Scenario, "App memory per idle connection", Fmt.Bytes(perConnection),
            double.IsNaN(ctx.BareHubBytesPerConnection) ? "" : $"{Fmt.Bytes(ctx.BareHubBytesPerConnection)} (bare hub)", Fmt.Ratio(memRatio),
            "<= 1.10x", double.IsNaN(memRatio) ? null : memRatio <= 1.1,
            $"RSS {Fmt.Bytes(before)} -> {Fmt.Bytes(after)}; per-user groups, presence and token auth included")
        { Number = perConnection });

        await ctx.ResolveOpenConversationsAsync();
        var times = new List<double>();
        var missing = 0L;
        var extra = 0L;
        for (var round = 0; round < ctx.Size.FanoutRounds; round++)
        {
            await holders.MarkAsync();
            var start = Stopwatch.GetTimestamp();
            await SendOneAsync(ctx, node.BaseUrl, $"{ctx.RunTag}-fanout-{round}");
            var (stamps, more) = await holders.CollectAsync(TimeSpan.FromSeconds(ctx.Options.Quick ? 15 : 40));
            missing += connected - stamps.Count;
            extra += more;
            if (stamps.Count > 0)
            {
                times.Add((stamps.Max() - start) * 1000.0 / Stopwatch.Frequency);
            }
            await Task.Delay(1000);
        }
        if (times.Count > 0)
        {
            var inOrder = string.Join(", ", times.Select(Fmt.Ms));
            times.Sort();
            var median = times[times.Count / 2];
            ctx.Report.Add(new Row(Scenario, $"Counters change reaching all {connected:N0} managers", Fmt.Ms(median),
                double.IsNaN(ctx.BareBroadcastMs) ? "" : $"{Fmt.Ms(ctx.BareBroadcastMs)} (bare broadcast, {ctx.BareHubConnections:N0})",
                Fmt.Ratio(median / ctx.BareBroadcastMs), "<= 1.20x", double.IsNaN(ctx.BareBroadcastMs) ? null : median / ctx.BareBroadcastMs <= 1.2,
                $"median of {times.Count} rounds, webhook send -> last countersChanged; {missing} receipts missing, {extra} more than one per connection; rounds in order: {inOrder}")
            { Number = median });
        }
        // Thousands of extra active users would weigh on later scenarios (the live queue lists every active user).
        await ctx.AppDb.ExecuteAsync("update users set is_active = false where email like 'conn-%@bench.local'");
    }

    /// <summary>One message from a new contact on the connections channel: every member's counters change.</summary>
    private static async Task SendOneAsync(BenchContext ctx, string baseUrl, string externalId)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            externalId,
            contact = new { externalId = externalId + "-contact", name = "Fan-out customer" },
            text = "Hello! Is anyone there?",
        });
        using var response = await SendWithRetryAsync(ctx, () =>
        {
            var r = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/api/inbound/{ctx.ConnectionsChannelId}") { Content = new ByteArrayContent(body) };
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            r.Headers.Add(ApiSignature.Header, ApiSignature.Compute("bench-api-secret-0123456789", body));
            return r;
        });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Fan-out message answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync())}");
        }
    }

    private static async Task<HttpResponseMessage> SendWithRetryAsync(BenchContext ctx, Func<HttpRequestMessage> make)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = make();
            try
            {
                return await ctx.Http.SendAsync(request);
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                await Task.Delay(500);
            }
        }
    }
}
