using System.Globalization;

namespace ContactCenter.Benchmarks;

/// <summary>What ./bench.sh passes in, and the sizes of every scenario (quick or full).</summary>
public sealed record BenchOptions
{
    public required string PgConnection { get; init; }
    public required string Redis { get; init; }
    public required string AppDll { get; init; }
    public required string PgBench { get; init; }
    public required string ResultsDir { get; init; }
    public required string WorkDir { get; init; }
    public bool Quick { get; init; }
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();
    public Sizes Size { get; init; } = Sizes.Full;

    /// <summary>Extra connection string options for the app (e.g. "Max Auto Prepare=20"), to try a setting.</summary>
    public string AppConnectionExtra { get; init; } = "";

    /// <summary>Extra environment variables for the app nodes (--app-env "K=V;K2=V2"), e.g. runtime settings to compare.</summary>
    public IReadOnlyDictionary<string, string> AppEnvironment { get; init; } = new Dictionary<string, string>();

    public bool Runs(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    /// <summary>
    /// Scenario 5's figures to measure (--queries "inbox,board"): a figure runs when its name contains one of these words
    /// (any case); "reports" runs the sales reports. Empty: every figure. To look at a few reads without the whole scenario.
    /// </summary>
    public IReadOnlyList<string> QueryFilter { get; init; } = [];

    /// <summary>Profile the app's CPU (perf) after each measured figure of scenario 5 (--query-profile 1).</summary>
    public bool QueryProfile { get; init; }

    public bool RunsQuery(string figure) => QueryFilter.Count == 0 || QueryFilter.Any(f => figure.Contains(f, StringComparison.OrdinalIgnoreCase));

    public const string AppDatabase = "contactcenter_bench";
    public const string BaselineDatabase = "bench_baseline";
    // Fresh per run: the app refuses keys committed to the repository outside Development.
    public static readonly string JwtKey = "bench-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
    public const string AdminEmail = "admin@bench.local";
    public const string AdminPassword = "bench-admin-password-1";
    // Below the ephemeral port range (32768-60999): tens of thousands of client sockets must not take them first.
    // CC_BENCH_PORT_BASE moves the three so that two checkouts can measure side by side.
    private static readonly int PortBase = int.TryParse(Environment.GetEnvironmentVariable("CC_BENCH_PORT_BASE"), out var portBase) ? portBase : 28481;
    public static int PortA => PortBase;
    public static int PortB => PortBase + 1;
    public static int BarePort => PortBase + 2;

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unknown argument {args[i]}");
            }
        }
        string Need(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
        int? Int(string name) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        var size = quick ? Sizes.Quick : Sizes.Full;
        size = size with
        {
            Connections = Int("connections") ?? size.Connections,
            Managers = Int("managers") ?? size.Managers,
            Conversations = Int("conversations") ?? size.Conversations,
            Messages = Int("messages") ?? size.Messages,
        };
        return new BenchOptions
        {
            PgConnection = Need("pg"),
            Redis = Need("redis"),
            AppDll = Path.GetFullPath(Need("app-dll")),
            PgBench = Need("pgbench"),
            ResultsDir = Path.GetFullPath(Need("results")),
            WorkDir = Path.GetFullPath(Need("work")),
            Quick = quick,
            Only = values.TryGetValue("only", out var only) ? only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() : new HashSet<string>(),
            Size = size,
            AppConnectionExtra = values.GetValueOrDefault("app-conn-extra", ""),
            QueryFilter = values.GetValueOrDefault("queries", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            QueryProfile = values.GetValueOrDefault("query-profile", "0") == "1",
            AppEnvironment = values.GetValueOrDefault("app-env", "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : ""),
        };
    }
}

/// <summary>How long and how big each scenario is. Every phase is bounded in time.</summary>
public sealed record Sizes
{
    public required TimeSpan PgBench { get; init; }
    public required TimeSpan BareHttp { get; init; }
    public required TimeSpan IngestWarmup { get; init; }
    public required TimeSpan Ingest { get; init; }
    public required TimeSpan IngestProfile { get; init; }
    public required int HttpConcurrency { get; init; }
    public required int Managers { get; init; }
    public required TimeSpan Push { get; init; }
    public required int Connections { get; init; }
    public required TimeSpan ConnectLimit { get; init; }
    public required int FanoutRounds { get; init; }
    public required TimeSpan TwoNodeIngest { get; init; }
    public required TimeSpan TwoNodePush { get; init; }
    public required int Conversations { get; init; }
    public required int Messages { get; init; }
    public required int Deals { get; init; }
    public required TimeSpan PerQuery { get; init; }

    public static readonly Sizes Quick = new()
    {
        PgBench = TimeSpan.FromSeconds(4),
        BareHttp = TimeSpan.FromSeconds(3),
        IngestWarmup = TimeSpan.FromSeconds(3),
        Ingest = TimeSpan.FromSeconds(7),
        IngestProfile = TimeSpan.FromSeconds(5),
        HttpConcurrency = 32,
        Managers = 50,
        Push = TimeSpan.FromSeconds(5),
        Connections = 1000,
        ConnectLimit = TimeSpan.FromSeconds(40),
        FanoutRounds = 2,
        TwoNodeIngest = TimeSpan.FromSeconds(5),
        TwoNodePush = TimeSpan.FromSeconds(5),
        Conversations = 10_000,
        Messages = 100_000,
        Deals = 2_000,
        PerQuery = TimeSpan.FromSeconds(1.5),
    };

    public static readonly Sizes Full = new()
    {
        PgBench = TimeSpan.FromSeconds(15),
        BareHttp = TimeSpan.FromSeconds(10),
        IngestWarmup = TimeSpan.FromSeconds(8),
        Ingest = TimeSpan.FromSeconds(40),
        IngestProfile = TimeSpan.FromSeconds(15),
        HttpConcurrency = 32,
        Managers = 1000,
        Push = TimeSpan.FromSeconds(20),
        Connections = 20_000,
        ConnectLimit = TimeSpan.FromSeconds(150),
        FanoutRounds = 3,
        TwoNodeIngest = TimeSpan.FromSeconds(25),
        TwoNodePush = TimeSpan.FromSeconds(15),
        Conversations = 100_000,
        Messages = 1_000_000,
        // Issue #17: list views (and reports) are measured at 100,000 deals.
        Deals = 100_000,
        PerQuery = TimeSpan.FromSeconds(5),
    };
}
