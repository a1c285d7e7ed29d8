using ContactCenter.Api.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// Where the real servers are: `./test.sh` starts a private PostgreSQL and Redis and exports CC_TEST_PG / CC_TEST_REDIS.
/// Each fixture makes its own database on that server, so test classes never share rows.
/// </summary>
public static class TestEnvironment
{
    // Any key will do as long as no other code on the test server takes it: "CC_TMPLT".
    private const long TemplateLockKey = 0x43435F544D504C54;

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? template;

    public static string PostgresAdmin => Environment.GetEnvironmentVariable("CC_TEST_PG")
        ?? throw new InvalidOperationException("CC_TEST_PG is not set: run the tests through ./test.sh (it starts PostgreSQL and Redis).");

    public static string Redis => Environment.GetEnvironmentVariable("CC_TEST_REDIS")
        ?? throw new InvalidOperationException("CC_TEST_REDIS is not set: run the tests through ./test.sh.");

    /// <summary>An empty database: the app migrates it when it starts (what MigrationTests and the first-start tests need).</summary>
    public static Task<string> CreateDatabaseAsync() => CreateDatabaseAsync(from: null);

    /// <summary>
    /// A database with every migration already applied: a copy of a template that the app's own <see cref="Migrator"/>
    /// migrated once per test server (and build), so each fixture does not run the 38 migrations again. The app still
    /// runs its migrator when it starts and finds nothing to do, as a node joining a migrated database does.
    /// </summary>
    public static async Task<string> CreateMigratedDatabaseAsync() => await CreateDatabaseAsync(from: await TemplateAsync());

    private static async Task<string> CreateDatabaseAsync(string? from)
    {
        var name = "cc_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(PostgresAdmin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(from is null ? $"create database {name}" : $"create database {name} template {from}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    private static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = database, MaxPoolSize = 60 }.ConnectionString;

    /// <summary>
    /// The migrated template of this build (named after the app assembly's module version id, so a rebuilt app with new
    /// migrations never gets a stale one). Every test process of a run shares the server: the first to get here makes
    /// it under an advisory lock, under a temporary name renamed only once complete, so no one copies a half-made one.
    /// </summary>
    private static async Task<string> TemplateAsync()
    {
        if (template is not null)
        {
            return template;
        }
        await TemplateGate.WaitAsync();
        try
        {
            if (template is not null)
            {
                return template;
            }
            var name = "cc_template_" + typeof(Migrator).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..16];
            await using var admin = new NpgsqlConnection(PostgresAdmin);
            await admin.OpenAsync();
            await using (var lockCommand = new NpgsqlCommand($"select pg_advisory_lock({TemplateLockKey})", admin))
            {
                await lockCommand.ExecuteNonQueryAsync();
            }
            try
            {
                await using var exists = new NpgsqlCommand("select count(*) from pg_database where datname = @name", admin);
                exists.Parameters.AddWithValue("name", name);
                if ((long)(await exists.ExecuteScalarAsync())! == 0)
                {
                    await BuildTemplateAsync(admin, name);
                }
            }
            finally
            {
                await using var unlock = new NpgsqlCommand($"select pg_advisory_unlock({TemplateLockKey})", admin);
                await unlock.ExecuteNonQueryAsync();
            }
            template = name;
            return name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static async Task BuildTemplateAsync(NpgsqlConnection admin, string name)
    {
        var building = name + "_building";
        await Execute(admin, $"drop database if exists {building}");
        await Execute(admin, $"create database {building}");
        // Unpooled: CREATE DATABASE ... TEMPLATE refuses a template that any session is still connected to.
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString(building)) { Pooling = false }.ConnectionString;
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        }
        await Execute(admin, $"alter database {building} rename to {name}");
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
