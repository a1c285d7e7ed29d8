using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>Direct SQL the benchmark needs around the app: bulk users, counts, server statistics.</summary>
public sealed class BenchDb(string connectionString) : IAsyncDisposable
{
    // Seeding copies millions of rows whose triggers keep rollups: on a busy machine finishing one COPY took longer than
    // Npgsql's default 30-second command timeout (a run failed so), so the bench's own commands may take minutes.
    private readonly NpgsqlDataSource db = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 600 }.ConnectionString)
    {
        Name = "bench",
    }.Build();

    public NpgsqlDataSource Source => db;

    public sealed record User(long Id, string Email, string Name, string Role);

    /// <summary>
    /// Inserts users with COPY (no password: they sign in with tokens the benchmark mints, see <see cref="Jwt"/>)
    /// and makes them members of the given channel.
    /// </summary>
    public async Task<List<User>> CreateUsersAsync(string prefix, int count, string role, long? channelId)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using (var copy = await connection.BeginBinaryImportAsync("copy users (email, name, role, password_hash) from stdin (format binary)"))
        {
            for (var i = 0; i < count; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync($"{prefix}-{i}@bench.local", NpgsqlDbType.Text);
                await copy.WriteAsync($"Bench {prefix} {i}", NpgsqlDbType.Text);
                await copy.WriteAsync(role, NpgsqlDbType.Text);
                await copy.WriteAsync("no-password-tokens-only", NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        var users = new List<User>(count);
        await using (var cmd = new NpgsqlCommand("select id, email, name, role from users where email like $1 order by id", connection))
        {
            cmd.Parameters.AddWithValue(prefix + "-%@bench.local");
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                users.Add(new User(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }
        if (channelId is not null)
        {
            await using var cmd = new NpgsqlCommand("insert into channel_members (channel_id, user_id) select $1, unnest($2) on conflict do nothing", connection);
            cmd.Parameters.AddWithValue(channelId.Value);
            cmd.Parameters.AddWithValue(users.Select(u => u.Id).ToArray());
            await cmd.ExecuteNonQueryAsync();
        }
        return users;
    }

    public static List<string> Tokens(IEnumerable<User> users) =>
        users.Select(u => Jwt.Mint(BenchOptions.JwtKey, u.Id, u.Name, u.Email, u.Role)).ToList();

    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 600;
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<List<object?[]>> RowsAsync(string sql, params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.CommandTimeout = 600;
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    public Task<long> CountMessagesAsync(long[] channelIds) =>
        ScalarAsync<long>("select count(*) from messages where channel_id = any($1)", channelIds);

    /// <summary>The postmaster's pid: the parent of this connection's backend.</summary>
    public async Task<int?> PostmasterPidAsync()
    {
        var backend = await ScalarAsync<int>("select pg_backend_pid()");
        return ProcStats.ParentPid(backend);
    }

    /// <summary>WAL flushes so far (pg_stat_wal.wal_sync): with synchronous commit, one per commit unless commits are grouped.</summary>
    public Task<long> WalSyncsAsync() => ScalarAsync<long>("select wal_sync from pg_stat_wal");

    /// <summary>WAL flush time so far in ms (pg_stat_wal.wal_sync_time; needs track_wal_io_timing, which bench.sh turns on).</summary>
    public Task<double> WalSyncMsAsync() => ScalarAsync<double>("select wal_sync_time from pg_stat_wal");

    public async ValueTask DisposeAsync() => await db.DisposeAsync();
}
