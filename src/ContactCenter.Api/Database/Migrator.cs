using System.Reflection;
using DbUp;
using DbUp.Engine.Output;
using Npgsql;

namespace ContactCenter.Api.Database;

/// <summary>
/// Applies the embedded, numbered migrations under a PostgreSQL advisory lock, so several nodes starting
/// at once migrate exactly once (Hangfire's schema too). Runs before the app serves; a failure stops the start-up.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    private const long LockKey = 0x43435F4D49475241; // "CC_MIGRA"

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("select pg_advisory_lock(@key)", connection))
        {
            command.Parameters.AddWithValue("key", LockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(dataSource.ConnectionString)
                .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.Contains(".Database.Migrations.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .JournalToPostgresqlTable("public", "schema_versions")
                .LogTo(new DbUpLogger(logger))
                .Build();
            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed.", result.Error);
            }
            // Hangfire's own tables, in their own schema, versioned by Hangfire.PostgreSql itself.
            Infrastructure.Jobs.InstallSchema(connection);
        }
        finally
        {
            // The pool does not reset connections (DatabaseExtensions): the session lock goes, and so does any setting
            // a script left (Hangfire's installer sets and resets search_path).
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(@key); reset all", connection);
            unlock.Parameters.AddWithValue("key", LockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private sealed class DbUpLogger(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);
        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);
        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);
        public void LogError(string format, params object[] args) => logger.LogError(format, args);
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}
