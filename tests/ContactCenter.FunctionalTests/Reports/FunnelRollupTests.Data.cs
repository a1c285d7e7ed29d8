using Dapper;
using Npgsql;

namespace ContactCenter.FunctionalTests.Reports;

/// <summary>The random deals, the changes made to them, and the check of the rollup rows against what they summarise.</summary>
public sealed partial class FunnelRollupTests
{
    /// <summary>The rollup rows, summed per key, equal a fresh grouping of what they summarise (keys summing to nothing aside).</summary>
    private static async Task AssertNoDriftAsync(NpgsqlConnection db)
    {
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            select count(*) from (
                (select pipeline_id, grain, period, source, currency, stages, sum(deals), sum(amount) from deal_funnel_rollups
                 group by 1, 2, 3, 4, 5, 6 having sum(deals) <> 0 or sum(amount) <> 0
                 except all
                 select pipeline_id, g, case g when 'd' then (first_at at time zone 'UTC')::date else date_trunc('month', first_at at time zone 'UTC')::date end,
                        source, currency, stages, count(*), sum(amount)
                 from deal_funnel cross join (values ('d'), ('m')) x(g) group by 1, 2, 3, 4, 5, 6)
                union all
                (select pipeline_id, g, case g when 'd' then (first_at at time zone 'UTC')::date else date_trunc('month', first_at at time zone 'UTC')::date end,
                        source, currency, stages, count(*), sum(amount)
                 from deal_funnel cross join (values ('d'), ('m')) x(g) group by 1, 2, 3, 4, 5, 6
                 except all
                 select pipeline_id, grain, period, source, currency, stages, sum(deals), sum(amount) from deal_funnel_rollups
                 group by 1, 2, 3, 4, 5, 6 having sum(deals) <> 0 or sum(amount) <> 0)
            ) drift
            """));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            with fresh as (
                select pipeline_id, g, case g when 'd' then (closed_at at time zone 'UTC')::date else date_trunc('month', closed_at at time zone 'UTC')::date end as period,
                       outcome, source, currency, loss_reason_id, stage_id, count(*) as deals, sum(amount) as amount
                from deals cross join (values ('d'), ('m')) x(g) where closed_at is not null and outcome is not null group by 1, 2, 3, 4, 5, 6, 7, 8
            ), kept as (
                select pipeline_id, grain, period, outcome, source, currency, loss_reason_id, stage_id, sum(deals), sum(amount) from deal_outcome_rollups
                group by 1, 2, 3, 4, 5, 6, 7, 8 having sum(deals) <> 0 or sum(amount) <> 0
            )
            select count(*) from ((select * from kept except all select * from fresh) union all (select * from fresh except all select * from kept)) drift
            """));
    }

    private static async Task<Pipeline> PipelineAsync(NpgsqlConnection db, long id)
    {
        var stages = (await db.QueryAsync<(long Id, string Semantic)>("select id, semantic from stages where pipeline_id = @id order by sort", new { id })).ToList();
        return new Pipeline(id, stages.Where(s => s.Semantic == "open").Select(s => s.Id).ToArray(), stages.First(s => s.Semantic == "won").Id,
            stages.Where(s => s.Semantic == "lost").Select(s => s.Id).ToArray());
    }

    /// <summary>Times that like to fall on a midnight, the millisecond before one, or the first of a month.</summary>
    private DateTime RandomTime()
    {
        var day = Base.AddDays(random.Next(500));
        return random.Next(8) switch
        {
            0 => day,
            1 => day.AddMilliseconds(-1),
            2 => new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => day.AddMilliseconds(random.Next(86_400_000)),
        };
    }

    private async Task<long> NewDealAsync(NpgsqlConnection db, Pipeline pipeline, long[] reasons)
    {
        var start = RandomTime();
        var reach = 1 + random.Next(pipeline.Open.Length);
        var deal = await db.ExecuteScalarAsync<long>("""
            insert into deals (pipeline_id, stage_id, title, amount, currency, source, created_at)
            values (@pipeline, @stage, 'Rollup deal', @amount, @currency, @source, @start) returning id
            """, new
        {
            pipeline = pipeline.Id, stage = pipeline.Open[reach - 1], amount = random.Next(0, 1_000_000) / 100m,
            currency = Currencies[random.Next(Currencies.Length)], source = Sources[random.Next(Sources.Length)], start,
        });
        // Skipped stages now and then: the kept set is what was entered.
        var at = start;
        for (var s = 0; s < reach; s++)
        {
            if (s == 0 || random.Next(4) != 0)
            {
                await EnterAsync(db, deal, pipeline.Open[s], at);
            }
            at = at.AddHours(random.Next(1, 100));
        }
        if (random.Next(3) == 0)
        {
            await CloseAsync(db, deal, pipeline, reasons, at);
        }
        return deal;
    }

    private static Task EnterAsync(NpgsqlConnection db, long deal, long stage, DateTime at) =>
        db.ExecuteAsync("insert into deal_stage_history (deal_id, stage_id, entered_at) values (@deal, @stage, @at)", new { deal, stage, at });

    private async Task CloseAsync(NpgsqlConnection db, long deal, Pipeline pipeline, long[] reasons, DateTime at)
    {
        var won = random.Next(3) == 0;
        var stage = won ? pipeline.Won : pipeline.Lost[random.Next(pipeline.Lost.Length)];
        await db.ExecuteAsync("update deals set closed_at = @at, outcome = @outcome, stage_id = @stage, loss_reason_id = @reason where id = @deal", new
        {
            deal, at, stage, outcome = won ? "won" : "lost",
            reason = won || random.Next(4) == 0 ? (long?)null : reasons[random.Next(reasons.Length)],
        });
        await EnterAsync(db, deal, stage, at);
    }
}
