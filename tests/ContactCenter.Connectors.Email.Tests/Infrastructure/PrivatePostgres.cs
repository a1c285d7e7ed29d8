using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ContactCenter.Connectors.Email.Tests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL cluster of this test's own (initdb in a temp dir, 127.0.0.1 on a free port, trust auth) that
/// the test may really stop and start — the shared test server, which other classes use at the same time, is never
/// touched. Binaries: CC_TEST_PG_BIN (exported by ./test.sh), else PG_BIN, else the newest /usr/lib/postgresql/*/bin.
/// As root the server runs as the postgres user, like scripts/lib.sh start_pg.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string bin;
    private readonly string root;

    private PrivatePostgres(string bin, string root, int port)
    {
        this.bin = bin;
        this.root = root;
        Port = port;
    }

    public int Port { get; }

    private string DataDir => Path.Combine(root, "data");

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public static async Task<PrivatePostgres> CreateAsync()
    {
        var bin = FindBin();
        var root = Path.Combine(Path.GetTempPath(), "cc-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        var server = new PrivatePostgres(bin, root, FreePort());
        Directory.CreateDirectory(server.DataDir);
        if (IsRoot)
        {
            await RunAsync("chown", "-R", "postgres:postgres", root);
            await RunAsync("chmod", "755", root);
        }
        await server.AsPostgresAsync("initdb", "-D", server.DataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
        await File.AppendAllTextAsync(Path.Combine(server.DataDir, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {server.Port}
            unix_socket_directories = '{server.DataDir}'
            max_connections = 100
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            """);
        await server.StartAsync();
        return server;
    }

    /// <summary>A new database on this cluster for the app.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "cc_restart_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 60 }.ConnectionString;
    }

    public Task StartAsync() =>
        AsPostgresAsync("pg_ctl", "-D", DataDir, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start");

    /// <summary>A real shutdown: `pg_ctl stop -m fast` ends every session, as a server restart or failover does.</summary>
    public Task StopAsync() => AsPostgresAsync("pg_ctl", "-D", DataDir, "-m", "fast", "-w", "-t", "60", "stop");

    public string Log() => File.Exists(Path.Combine(root, "server.log")) ? File.ReadAllText(Path.Combine(root, "server.log")) : "";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDir, "postmaster.pid")))
            {
                await AsPostgresAsync("pg_ctl", "-D", DataDir, "-m", "immediate", "-w", "-t", "30", "stop");
            }
        }
        catch (InvalidOperationException)
        {
        }
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task AsPostgresAsync(string tool, params string[] args)
    {
        var path = Path.Combine(bin, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args]) : RunAsync(path, args);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string FindBin()
    {
        foreach (var name in new[] { "CC_TEST_PG_BIN", "PG_BIN" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } dir && File.Exists(Path.Combine(dir, "initdb")))
            {
                return dir;
            }
        }
        var newest = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException("PostgreSQL binaries not found: run through ./test.sh (it installs postgresql and exports CC_TEST_PG_BIN).");
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = "/" };
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {error} {await output}");
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
