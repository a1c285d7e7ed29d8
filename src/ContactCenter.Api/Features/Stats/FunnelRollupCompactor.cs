using Dapper;
using Hangfire;
using Npgsql;

namespace ContactCenter.Api.Features.Stats;

/// <summary>
/// Folds the funnel's rollup rows (migration 1140): writers add a change as new rows, so a key gathers one row per change
/// until this folds them into one. A Hangfire recurring job (`compact-funnel-rollups`, every minute) runs it on one node
/// at a time; the database function also takes an advisory lock, so a second run at once returns without doing anything.
/// Readers sum a key's rows, so their answers are the same before and after.
/// </summary>
public sealed class FunnelRollupCompactor(NpgsqlDataSource db)
{
    public const string Job = "compact-funnel-rollups";

    [AutomaticRetry(Attempts = 0)]
    public async Task CompactAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("select deal_rollups_compact()", cancellationToken: ct));
    }
}
