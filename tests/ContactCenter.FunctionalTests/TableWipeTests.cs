using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The tests' reset (<see cref="AppFixture.ResetAsync"/>, deletes instead of a TRUNCATE) leaves what a TRUNCATE would
/// leave: nothing in the rollups the ON TRUNCATE triggers empty, also when a writer of their own (the minutely compactor
/// of the funnel rollups) is inside a transaction that inserts into them while the reset runs.
/// </summary>
public sealed class TableWipeTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_rollup_row_written_while_the_reset_runs_does_not_outlive_it()
    {
        await using var writer = fixture.Db();
        await writer.OpenAsync();
        await using (var tx = await writer.BeginTransactionAsync())
        {
            // As deal_rollups_compact() does: a folded row inserted in a transaction still open when the reset starts.
            await writer.ExecuteAsync("""
                insert into deal_funnel_rollups (pipeline_id, grain, period, source, currency, stages, deals, amount)
                values (1, 'd', current_date, null, 'USD', '{1}', 3, 300)
                """, transaction: tx);
            var reset = fixture.ResetAsync();
            // The reset has reached the rollup table's lock (it waits on this transaction), or has ended without it.
            await using (var watch = fixture.Db())
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (!reset.IsCompleted && DateTime.UtcNow < deadline
                       && await watch.ExecuteScalarAsync<long>("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'") == 0)
                {
                    await Task.Delay(20);
                }
            }
            await tx.CommitAsync();
            await reset;
        }
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from deal_funnel_rollups"));
    }
}
