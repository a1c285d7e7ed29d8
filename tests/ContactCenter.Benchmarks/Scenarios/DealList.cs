using ContactCenter.Benchmarks.Infrastructure;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Issue #17: the deals list view over the seeded deals, filtered by a custom field, an amount range and state and sorted
/// by amount (keyset page of 50), as a manager (visibility applies) and as an admin. One in ten seeded deals is "gold".
/// </summary>
public static class DealList
{
    public static async Task RunAsync(BenchContext ctx, string baseUrl, List<BenchDb.User> managers, string adminToken, int readers)
    {
        await ctx.AppDb.ExecuteAsync("""
            insert into custom_fields (entity, key, label, type, options) values ('deal', 'tier', 'Tier', 'list', '["gold", "silver"]')
            on conflict (entity, key) do nothing
            """);
        await ctx.AppDb.ExecuteAsync("""
            update deals set fields = jsonb_build_object('tier', case when id % 10 = 0 then 'gold' else 'silver' end) where fields = '{}'
            """);
        await ctx.AppDb.ExecuteAsync("analyze deals");
        const string path = "/api/deals?state=open&minAmount=1000&maxAmount=90000&field.tier=gold&sort=-amount&limit=50";
        // Deals go to the managers in turn and "gold" is every tenth id, so the gold deals belong to two of the twenty
        // managers: the first manager's filtered list is empty (the planner's guess of ~450 matches is what made it walk
        // the amount index), and the manager with the most gold deals has a full page out of ~4,500 matches.
        var matches = await ctx.AppDb.ScalarAsync<long>(
            "select count(*) from deals where assignee_id = $1 and fields @> '{\"tier\": \"gold\"}' and closed_at is null", managers[0].Id);
        await Queries.MeasureAsync(ctx, $"Deal list p99 ({ctx.Size.Deals:N0} deals, filtered+sorted, manager, {matches:N0} matches)", baseUrl,
            BenchDb.Tokens([managers[0]])[0], readers, 50, _ => path);
        var busiest = await ctx.AppDb.ScalarAsync<long>(
            "select assignee_id from deals where fields @> '{\"tier\": \"gold\"}' and closed_at is null group by assignee_id order by count(*) desc, assignee_id limit 1");
        var gold = managers.Single(m => m.Id == busiest);
        matches = await ctx.AppDb.ScalarAsync<long>(
            "select count(*) from deals where assignee_id = $1 and fields @> '{\"tier\": \"gold\"}' and closed_at is null", gold.Id);
        await Queries.MeasureAsync(ctx, $"Deal list p99 ({ctx.Size.Deals:N0} deals, filtered+sorted, manager, {matches:N0} matches)", baseUrl,
            BenchDb.Tokens([gold])[0], readers, 50, _ => path);
        await Queries.MeasureAsync(ctx, $"Deal list p99 ({ctx.Size.Deals:N0} deals, filtered+sorted, admin)", baseUrl, adminToken, readers, 50, _ => path);
    }
}
