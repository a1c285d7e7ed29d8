using Dapper;
using Npgsql;

namespace ContactCenter.Api.Database;

public static class DatabaseExtensions
{
    /// <summary>
    /// Put before a read whose custom plan costs more to make than to run: the inbox list and the board joined six
    /// tables under a dozen indexes, and PostgreSQL planned them afresh on every call (3-9 ms of planning for 2-5 ms
    /// of execution in the benchmark; a prepared statement keeps custom plans while they look cheaper than the
    /// generic one). The generic plan is the same index walk. The setting lasts for the command's implicit transaction
    /// (the extended protocol runs a command's statements in one, up to its Sync), so for the statements after it.
    /// Set through set_config in a DO block: a SET LOCAL outside a transaction block works the same but logs a warning
    /// ("SET LOCAL can only be used in transaction blocks") on every call.
    /// </summary>
    public const string GenericPlan = "do $$begin perform set_config('plan_cache_mode', 'force_generic_plan', true); end$$;\n";

    /// <summary>
    /// The opposite, for a statement whose best plan depends on its values (a filter that keeps 10 % or 90 % of the rows, a
    /// role flag that drops the visibility test): planned with the values on every call even once auto-prepared, where
    /// PostgreSQL would otherwise settle on a generic plan after five calls.
    /// </summary>
    public const string CustomPlan = "do $$begin perform set_config('plan_cache_mode', 'force_custom_plan', true); end$$;\n";

    /// <summary>
    /// No parallel workers for the statements after it in the command (as <see cref="GenericPlan"/>, to its Sync). A generic
    /// plan that guessed thousands of rows gathered two parallel workers on every call, and starting them cost far more than
    /// the read: message search's every-match statement 7.1 ms a call in pgbench against 0.18 ms without them, ~27 ms a call
    /// under sixteen readers (docs/benchmarks.md, session 41).
    /// </summary>
    public const string NoParallelWorkers = "do $$begin perform set_config('max_parallel_workers_per_gather', '0', true); end$$;\n";

    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set.");
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        builder.Services.AddSingleton(_ =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString);
            // No JIT for these short OLTP queries: on a small table without statistics (a users table of a few dozen
            // rows is never auto-analyzed) the planner's estimates cross jit_above_cost and every push compiled the
            // counters query for ~600 ms (see docs/benchmarks.md). A connection string that sets Options keeps its own.
            dataSource.ConnectionStringBuilder.Options ??= "-c jit=off";
            // Every inbound message runs the same ~25 statements: prepared once per connection, they skip parsing and
            // most planning (PostgreSQL CPU per message about a third lower in the benchmarks). Kept if the string sets it.
            if (!Sets(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
            {
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = 100;
                dataSource.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }
            // A pooled connection is not reset when it goes back: the reset was seven statements (advisory unlock, RESET
            // ALL, UNLISTEN...) sent with the next command of every checkout, about 40 of the 57 statements per inbound
            // message in the benchmark's profile. Nothing here leaves session state behind: advisory locks are
            // transaction-scoped (the migrator unlocks its session lock itself), no SET outside a transaction, and
            // listeners unlisten before their connection goes back (ListenAsync). Kept if the string sets it.
            if (!Sets(connectionString, "No Reset On Close", "NoResetOnClose"))
            {
                dataSource.ConnectionStringBuilder.NoResetOnClose = true;
            }
            return dataSource.Build();
        });
        builder.Services.AddSingleton<Migrator>();
        return builder;
    }

    /// <summary>
    /// Opens a connection, LISTENs on <paramref name="channel"/> and calls <paramref name="notified"/> for each
    /// notification until cancelled; a lost connection escapes as its exception (the caller retries). The connection
    /// unlistens before it goes back to the pool, which does not reset it.
    /// </summary>
    public static async Task ListenAsync(this NpgsqlDataSource db, string channel, Action notified, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        connection.Notification += (_, _) => notified();
        await using (var listen = new NpgsqlCommand($"listen {channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await connection.WaitAsync(ct);
            }
        }
        finally
        {
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                try
                {
                    await using var unlisten = new NpgsqlCommand("unlisten *", connection);
                    await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                {
                    // A broken connection is not returned to the pool.
                }
            }
        }
    }

    private static bool Sets(string connectionString, params string[] keys)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return keys.Any(given.ContainsKey);
    }
}

/// <summary>Npgsql reads timestamptz as UTC DateTime; the API speaks DateTimeOffset.</summary>
internal sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public override DateTimeOffset Parse(object value) => value switch
    {
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset dto => dto,
        _ => throw new InvalidCastException($"Cannot read {value.GetType()} as DateTimeOffset."),
    };

    public override void SetValue(System.Data.IDbDataParameter parameter, DateTimeOffset value) =>
        parameter.Value = value.UtcDateTime;
}
