using System.Diagnostics;
using Dapper;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// For tests that stop a read or a change at one of its statements with a lock they hold, let something commit meanwhile,
/// then let it go on: polls the database until the stop (or the commit) is seen, failing after 20 s.
/// </summary>
public static class LockWaits
{
    /// <summary>Until a statement whose text is like <paramref name="queryLike"/> waits for a lock.</summary>
    public static Task UntilBlockedAsync(this AppFixture fixture, string queryLike, string what) => fixture.UntilAsync(
        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and query like @queryLike",
        new { queryLike }, what);

    /// <summary>Until <paramref name="sql"/> counts more than zero.</summary>
    public static async Task UntilAsync(this AppFixture fixture, string sql, object? param, string what)
    {
        await using var probe = fixture.Db();
        var waiting = Stopwatch.StartNew();
        while (await probe.ExecuteScalarAsync<long>(sql, param) == 0)
        {
            if (waiting.Elapsed > TimeSpan.FromSeconds(20))
            {
                var blocked = await probe.ExecuteScalarAsync<string>(
                    "select string_agg(left(query, 300), ' | ') from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()");
                Assert.Fail($"{what} (waiting for locks: {blocked ?? "nothing"})");
            }
            await Task.Delay(20);
        }
    }
}
