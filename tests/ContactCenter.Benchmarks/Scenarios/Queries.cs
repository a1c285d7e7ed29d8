using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using ContactCenter.Benchmarks.Infrastructure;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5: the inbox, a conversation and the CRM board read through the REST API by 16 concurrent
/// readers over seeded data (100,000 conversations, 1,000,000 messages, 100,000 deals), message search over those
/// messages, and response-time statistics over a year.
/// </summary>
public static class Queries
{
    private const string Scenario = "5 queries";
    private const int Readers = 16;
    private const int StatsReaders = 4;

    public static async Task RunAsync(BenchContext ctx)
    {
        await ctx.EnsureAppAsync();
        var seeded = await Seeder.SeedAsync(ctx);
        ctx.Report.Add(new Row(Scenario, "Seeding with binary COPY", $"{seeded.Took.TotalSeconds:0} s",
            Note: $"{ctx.Size.Conversations:N0} conversations, ~{ctx.Size.Messages:N0} messages, {ctx.Size.Deals:N0} deals, {ctx.Size.Conversations * 3:N0} response events")
        { Number = seeded.Took.TotalSeconds });

        var manager = seeded.Managers[0];
        var managerToken = BenchDb.Tokens([manager])[0];
        var adminToken = ctx.Admin!.Token;
        var baseUrl = ctx.NodeA!.BaseUrl;

        // A deep page: the keyset cursor of the manager's visible list half-way down (at most 20,000 rows deep),
        // encoded as the API does (base64 of "utcTicks:id").
        var rows = await ctx.AppDb.RowsAsync("""
            select c.last_activity_at, c.id, count(*) over () from conversations c
            where c.status = 'open' and (c.assignee_id = $1 or (c.assignee_id is null and exists (select 1 from channel_members cm where cm.channel_id = c.channel_id and cm.user_id = $1)))
            order by c.last_activity_at desc, c.id desc
            """, manager.Id);
        var deep = Math.Min(rows.Count / 2, 20_000);
        var cursor = rows.Count == 0 ? "" : Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{((DateTime)rows[deep][0]!).Ticks.ToString(CultureInfo.InvariantCulture)}:{((long)rows[deep][1]!).ToString(CultureInfo.InvariantCulture)}"));

        await MeasureAsync(ctx, "Inbox first page (manager, open, 50)", baseUrl, managerToken, Readers, 10, _ => "/api/conversations?status=open&limit=50");
        await MeasureAsync(ctx, "Inbox first page (admin, open, 50)", baseUrl, adminToken, Readers, 10, _ => "/api/conversations?status=open&limit=50");
        await MeasureAsync(ctx, $"Inbox deep page (manager, {deep:N0} rows down)", baseUrl, managerToken, Readers, 10,
            _ => "/api/conversations?status=open&limit=50&cursor=" + Uri.EscapeDataString(cursor));
        // The supervisors' live queue (GET /api/stats/queue; each `queueChanged` push reads the same, up to 5 times a second
        // under load): the 500 longest-waiting unassigned open conversations, and the breached assigned ones.
        var unassigned = await ctx.AppDb.ScalarAsync<long>("select count(*) from conversations where assignee_id is null and status not in ('resolved', 'snoozed')");
        await MeasureAsync(ctx, $"Supervisor queue ({unassigned:N0} unassigned open)", baseUrl, adminToken, Readers, 25, _ => "/api/stats/queue");
        var ids = seeded.ConversationIds;
        await MeasureAsync(ctx, "Conversation messages page (50 of ~10)", baseUrl, adminToken, Readers, 10,
            _ => $"/api/conversations/{ids[Random.Shared.Next(ids.Length)]}/messages?limit=50");

        // Message search (issue #16) over the same messages, as a manager (visibility applies): a word in one message (an
        // order number), a word in every other message (the planner walks the newest-first index), a contact's name.
        var orders = Math.Max(1, ctx.Size.Messages / 2);
        await MeasureAsync(ctx, "Message search, rare word (manager, 20)", baseUrl, managerToken, Readers, 50,
            _ => $"/api/search?limit=20&q={Random.Shared.Next(orders).ToString(CultureInfo.InvariantCulture)}");
        await MeasureAsync(ctx, "Message search, word in half the messages (manager, 20)", baseUrl, managerToken, Readers, 50,
            _ => "/api/search?limit=20&q=tracking");
        await MeasureAsync(ctx, "Message search, contact name (manager, 20)", baseUrl, managerToken, Readers, 50,
            _ => $"/api/search?limit=20&q={Uri.EscapeDataString("customer " + Random.Shared.Next(ctx.Size.Conversations).ToString(CultureInfo.InvariantCulture))}");

        var (boardStatus, boardBody) = await ctx.Admin.GetAsync($"/api/pipelines/{seeded.PipelineId}/board");
        if (boardStatus == 404)
        {
            ctx.Report.Add(new Row(Scenario, $"CRM board ({ctx.Size.Deals:N0} deals)", "not available", Goal: "p99 <= 25 ms",
                Note: "GET /api/pipelines/{id}/board answers 404 on this build (the CRM area is not merged yet)"));
        }
        else if (boardStatus != 200)
        {
            ctx.Report.Add(new Row(Scenario, $"CRM board ({ctx.Size.Deals:N0} deals)", $"answered {boardStatus}", Goal: "p99 <= 25 ms",
                Met: false, Note: boardBody.Length > 120 ? boardBody[..120] : boardBody));
        }
        else
        {
            await MeasureAsync(ctx, $"CRM board ({ctx.Size.Deals:N0} deals)", baseUrl, adminToken, Readers, 25, _ => $"/api/pipelines/{seeded.PipelineId}/board");
        }

        await DealList.RunAsync(ctx, baseUrl, seeded.Managers, adminToken, Readers);

        var to = DateTimeOffset.UtcNow;
        var from = to.AddDays(-365);
        var statsPath = $"/api/stats/response-times?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}";
        // Issue #19 asks for 100 ms (the figure before it was 250 ms).
        await MeasureAsync(ctx, $"Response-time stats over a year ({ctx.Size.Conversations * 3:N0}+ events)", baseUrl, adminToken, StatsReaders, 100, _ => statsPath);
        // Sales reports (issue #17) at 100,000 deals.
        if (ctx.Options.RunsQuery("reports"))
        {
            await ReportQueries.RunAsync(ctx, seeded, baseUrl, adminToken);
        }
    }

    /// <summary>Whether a row of this run was measured yet (the first one warms the node up for longer).</summary>
    private static bool nodeWarm;

    internal static async Task MeasureAsync(BenchContext ctx, string figure, string baseUrl, string token, int readers, double goalMs, Func<int, string> path)
    {
        if (!ctx.Options.RunsQuery(figure))
        {
            return;
        }
        // The node was started for this scenario: its first seconds under load are spent compiling (tiered compilation with
        // dynamic PGO compiles a hot method three times; perf on the first figure after a 1 s warm-up found 35 % of the app's CPU in
        // the JIT 6-11 s after its start). The figures are of a node in service, so the first row measured (whichever
        // `--queries` picks) warms it up for longer.
        var warmUp = TimeSpan.FromSeconds(nodeWarm ? (ctx.Options.Quick ? 0.5 : 1) : (ctx.Options.Quick ? 2 : 10));
        nodeWarm = true;
        using var client = HttpLoad.NewClient(readers);
        HttpRequestMessage Make(int worker)
        {
            var r = new HttpRequestMessage(HttpMethod.Get, baseUrl + path(worker));
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return r;
        }
        await HttpLoad.RunAsync("warm-up", client, readers, warmUp, Make, HttpLoad.Success);
        var cpu = new CpuWindow([ctx.NodeA!.Pid], ctx.PostmasterPid);
        var maintenance = Maintenance.Watch(ctx.AppDb);
        var result = await HttpLoad.RunAsync(figure, client, readers, ctx.Size.PerQuery, Make, HttpLoad.Success);
        var usage = cpu.Stop();
        var maintained = await maintenance.StopAsync();
        var p99 = result.Latency.PercentileMs(99);
        // CPU per answered request: where a closed loop of readers on two cores spends its time (its p99 is mostly the
        // wait for a core).
        var perRequest = 1000.0 / Math.Max(1, result.Ok);
        var cpuNote = $"CPU per request: app {usage.AppSeconds * perRequest:0.00} ms + PostgreSQL {usage.PostgresSeconds * perRequest:0.00} ms + load generator {usage.BenchSeconds * perRequest:0.00} ms";
        ctx.Report.Add(new Row(Scenario, figure, $"p50 {Fmt.Ms(result.Latency.PercentileMs(50))}, p99 {Fmt.Ms(p99)}", Goal: $"p99 <= {goalMs:0} ms",
            Met: result.Ok == 0 ? false : p99 <= goalMs,
            Note: $"{readers} concurrent readers, {result.OkPerSecond:N0} req/s, max {Fmt.Ms(result.Latency.MaxMs)} (after {warmUp.TotalSeconds:0.#} s of warm-up); {cpuNote}{maintained}{(result.Failed > 0 ? "; " + result.ErrorText : "")}")
        { Number = p99 });
        Progress.Say($"  {cpuNote}{maintained}");
        if (ctx.Options.QueryProfile)
        {
            var window = TimeSpan.FromSeconds(ctx.Options.Quick ? 3 : 5);
            var (profile, failure) = await AppCpuProfile.RecordAsync(ctx.NodeA.Pid, Path.Combine(ctx.Options.WorkDir, "perf-query.data"), window,
                () => HttpLoad.RunAsync($"{figure}: app CPU profile (perf)", client, readers, window, Make, HttpLoad.Success));
            IngestProfile.AppCpu(ctx.Report, $"#### {figure}: the app's CPU per request ({usage.AppSeconds * perRequest:0.00} ms), by where its threads were busy",
                "ms/req", usage.AppSeconds * perRequest, profile, failure, window);
        }
    }
}
