using Npgsql;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// Where the real servers are: `./test.sh` starts a private PostgreSQL and Redis and exports CC_TEST_PG / CC_TEST_REDIS.
/// Each fixture makes its own database on that server, so test classes never share rows.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresAdmin => Environment.GetEnvironmentVariable("CC_TEST_PG")
        ?? throw new InvalidOperationException("CC_TEST_PG is not set: run the tests through ./test.sh (it starts PostgreSQL and Redis).");

    public static string Redis => Environment.GetEnvironmentVariable("CC_TEST_REDIS")
        ?? throw new InvalidOperationException("CC_TEST_REDIS is not set: run the tests through ./test.sh.");

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "cc_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(PostgresAdmin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, MaxPoolSize = 60 }.ConnectionString;
    }
}
