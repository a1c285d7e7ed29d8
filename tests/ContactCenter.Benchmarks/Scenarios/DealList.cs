namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Issue #17: the deals list view over the seeded deals, filtered by a custom field, an amount range and state and sorted
/// by amount (keyset page of 50), as a manager (visibility applies) and as an admin. One in ten seeded deals is "gold".
/// </summary>
public static class DealList
{
    public static async Task RunAsync(BenchContext ctx, string baseUrl, string managerToken, string adminToken, int readers)
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
        await Queries.MeasureAsync(ctx, $"Deal list p99 ({ctx.Size.Deals:N0} deals, filtered+sorted, manager)", baseUrl, managerToken, readers, 50, _ => path);
        await Queries.MeasureAsync(ctx, $"Deal list p99 ({ctx.Size.Deals:N0} deals, filtered+sorted, admin)", baseUrl, adminToken, readers, 50, _ => path);
    }
}
