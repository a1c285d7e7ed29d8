using System.Text.Json.Nodes;
using ContactCenter.Benchmarks.Infrastructure;
using Npgsql;

namespace ContactCenter.Benchmarks;

/// <summary>What the scenarios share: options, the report, the databases, the app nodes, and figures measured earlier in the run.</summary>
public sealed class BenchContext(BenchOptions options) : IAsyncDisposable
{
    public BenchOptions Options { get; } = options;
    public Sizes Size => Options.Size;
    public Report Report { get; } = new();
    /// <summary>Replaced when a node restarts: pooled keep-alive connections to the old process are dead.</summary>
    public HttpClient Http { get; private set; } = HttpLoad.NewClient(256);

    public string AppConnection => new NpgsqlConnectionStringBuilder(Options.PgConnection) { Database = BenchOptions.AppDatabase }.ConnectionString
        + (Options.AppConnectionExtra.Length > 0 ? ";" + Options.AppConnectionExtra : "");
    public string BaselineConnection => new NpgsqlConnectionStringBuilder(Options.PgConnection) { Database = BenchOptions.BaselineDatabase }.ConnectionString;

    private BenchDb? appDb;
    public BenchDb AppDb => appDb ??= new BenchDb(new NpgsqlConnectionStringBuilder(Options.PgConnection) { Database = BenchOptions.AppDatabase }.ConnectionString);

    public int? PostmasterPid { get; set; }

    public string MachineLine { get; set; } = "";

    /// <summary>Returning contacts 1..N that exist (see Scenarios.ContactPool).</summary>
    public int KnownContacts { get; set; }

    public string BareUrl => $"http://127.0.0.1:{BenchOptions.BarePort}";

    public AppNode? NodeA { get; set; }
    public AppNode? NodeB { get; set; }
    public AdminApi? Admin { get; set; }
    public IngestTargets? Ingest { get; set; }
    public long PushChannelId { get; set; }
    public long ConnectionsChannelId { get; set; }
    public List<BenchDb.User> PushManagers { get; private set; } = [];
    public string RunTag { get; } = "b" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Figures that later rows are compared with (NaN when not measured in this run).
    public double PgBenchTps { get; set; } = double.NaN;
    public double PgBenchWalPerTx { get; set; } = double.NaN;
    public double BareHttpRps { get; set; } = double.NaN;
    public double BareHubBytesPerConnection { get; set; } = double.NaN;
    public double BareBroadcastMs { get; set; } = double.NaN;
    public int BareHubConnections { get; set; }
    public double IngestRate { get; set; } = double.NaN;
    public double PushP99Ms { get; set; } = double.NaN;
    public double BarePushP99Ms { get; set; } = double.NaN;

    /// <summary>How many hub connections one process can hold: open-files limit less a margin for the app's other files and sockets.</summary>
    public int ConnectionTarget => Math.Max(1, Math.Min(Size.Connections, ProcStats.OpenFilesLimit() - 1000));

    /// <summary>Starts node A, signs in as the bootstrap admin and creates the channels the scenarios use (once).</summary>
    public async Task EnsureAppAsync()
    {
        NodeA ??= await AppNode.StartAsync(Options, "A", BenchOptions.PortA, AppConnection);
        if (Admin is not null)
        {
            return;
        }
        Admin = await AdminApi.LoginAsync(Http, NodeA.BaseUrl);
        const string apiSecret = "bench-api-secret-0123456789";
        const string telegramSecret = "bench-telegram-webhook-secret-0123";
        var api = await Admin.CreateChannelAsync("api", "Bench ingest (api)", new JsonObject { ["secret"] = apiSecret });
        var telegram = await Admin.CreateChannelAsync("telegram", "Bench ingest (Telegram)", new JsonObject
        {
            ["botToken"] = "123456789:AAbenchbenchbenchbenchbenchbench0000",
            ["webhookSecret"] = telegramSecret,
            ["apiBaseUrl"] = BareUrl,
        });
        Ingest = new IngestTargets(api, apiSecret, telegram, telegramSecret);
        PushChannelId = await Admin.CreateChannelAsync("api", "Bench push (api)", new JsonObject { ["secret"] = apiSecret });
        ConnectionsChannelId = await Admin.CreateChannelAsync("api", "Bench connections (api)", new JsonObject { ["secret"] = apiSecret });
        // The managers exist from the start, so that every scenario runs with the same users (some work is per active user).
        PushManagers = await AppDb.CreateUsersAsync("push", Size.Managers, "manager", PushChannelId);
        await AppDb.ExecuteAsync("analyze users, channel_members");
        await AppDb.ExecuteAsync("create extension if not exists pg_stat_statements");
        PostmasterPid ??= await AppDb.PostmasterPidAsync();
    }

    /// <summary>Stops node A (if running) and starts a fresh one; new HTTP connections and a new admin client.</summary>
    public async Task RestartNodeAAsync()
    {
        if (NodeA is not null)
        {
            await NodeA.DisposeAsync();
        }
        NodeA = await AppNode.StartAsync(Options, "A", BenchOptions.PortA, AppConnection);
        var old = Http;
        Http = HttpLoad.NewClient(256);
        old.Dispose();
        if (Admin is not null)
        {
            Admin = new AdminApi(Http, NodeA.BaseUrl, Admin.Token);
        }
    }

    /// <summary>
    /// Marks every open conversation resolved (as if handled), so that each push scenario starts from the same
    /// empty queue: counters are recomputed per user over the open unassigned conversations, and what an
    /// earlier scenario left open would otherwise decide the result.
    /// </summary>
    public async Task<long> ResolveOpenConversationsAsync() =>
        await AppDb.ScalarAsync<long>("""
            with r as (update conversations set status = 'resolved', resolved_at = now(), waiting_since = null where status <> 'resolved' returning 1)
            select count(*) from r
            """);

    public async ValueTask DisposeAsync()
    {
        if (NodeB is not null)
        {
            await NodeB.DisposeAsync();
        }
        if (NodeA is not null)
        {
            await NodeA.DisposeAsync();
        }
        if (appDb is not null)
        {
            await appDb.DisposeAsync();
        }
        Http.Dispose();
    }
}
