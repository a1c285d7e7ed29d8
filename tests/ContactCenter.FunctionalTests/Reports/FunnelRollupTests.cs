using System.Text.Json;
using ContactCenter.Api.Features.Stats;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactCenter.FunctionalTests.Reports;

/// <summary>
/// The whole team's funnel read from the day and month rollups (migration 1140) against the same funnel read from the
/// deals' rows alone, on random deals whose stage entries and closes fall on midnights, the last millisecond before one
/// and month starts; after the changes the product makes (stage moves, amounts, currencies, sources, closes and reopens,
/// deals deleted or moved to another pipeline, history entries removed or moved, bulk updates) and after concurrent
/// writers. The rollup rows themselves are checked against a fresh grouping of what they summarise each time.
/// </summary>
public sealed class FunnelRollupTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private static readonly DateTime Base = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string?[] Sources = [null, "call", "form", "site"];
    private static readonly string[] Currencies = ["USD", "EUR", "RUB"];

    private readonly Random random = new(1140);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Pipeline(long Id, long[] Open, long Won, long[] Lost);

    [Fact]
    public async Task The_funnel_from_rollups_equals_the_funnel_from_the_deals_on_random_data_and_after_every_kind_of_change()
    {
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select (select count(*) from deal_funnel_rollups) + (select count(*) from deal_outcome_rollups)"));
        var main = await PipelineAsync(db, await db.ExecuteScalarAsync<long>("select id from pipelines where is_default"));
        var other = await PipelineAsync(db, await db.ExecuteScalarAsync<long>("""
            with p as (insert into pipelines (name) values ('Rollup repeat sales') returning id),
                 s as (insert into stages (pipeline_id, name, sort, semantic)
                       select id, x.name, x.sort, x.semantic from p, (values ('Start', 1, 'open'), ('Offer', 2, 'open'), ('Won', 3, 'won'), ('Lost', 4, 'lost')) x(name, sort, semantic)
                       returning pipeline_id)
            select distinct pipeline_id from s
            """));
        var reasons = (await db.QueryAsync<long>("select id from loss_reasons order by id")).ToArray();

        var deals = new List<long>();
        for (var i = 0; i < 160; i++)
        {
            deals.Add(await NewDealAsync(db, random.Next(5) == 0 ? other : main, reasons));
        }
        await CompareAsync(db, main, other, "random deals");

        // One by one, as the product changes deals.
        for (var i = 0; i < 40; i++)
        {
            var deal = deals[random.Next(deals.Count)];
            var pipeline = await db.ExecuteScalarAsync<long>("select pipeline_id from deals where id = @deal", new { deal }) == main.Id ? main : other;
            switch (i % 8)
            {
                case 0:
                    await EnterAsync(db, deal, pipeline.Open[random.Next(pipeline.Open.Length)], RandomTime());
                    break;
                case 1:
                    await db.ExecuteAsync("update deals set amount = @amount, currency = @currency where id = @deal",
                        new { deal, amount = random.Next(0, 100_000) / 100m, currency = Currencies[random.Next(Currencies.Length)] });
                    break;
                case 2:
                    await db.ExecuteAsync("update deals set source = @source where id = @deal", new { deal, source = Sources[random.Next(Sources.Length)] });
                    break;
                case 3:
                    await CloseAsync(db, deal, pipeline, reasons, RandomTime());
                    break;
                case 4:
                    // Reopened: back to an open stage, the close undone.
                    var stage = pipeline.Open[0];
                    await db.ExecuteAsync("update deals set closed_at = null, outcome = null, loss_reason_id = null, stage_id = @stage where id = @deal", new { deal, stage });
                    await EnterAsync(db, deal, stage, RandomTime());
                    break;
                case 5:
                    await db.ExecuteAsync("delete from deal_stage_history where id = (select min(id) from deal_stage_history where deal_id = @deal)", new { deal });
                    break;
                case 6:
                    await db.ExecuteAsync("update deal_stage_history set entered_at = @at where id = (select max(id) from deal_stage_history where deal_id = @deal)",
                        new { deal, at = RandomTime() });
                    break;
                default:
                    // To the other pipeline, entering its first stage there (its entries in this one stay in the history).
                    var target = pipeline == main ? other : main;
                    await db.ExecuteAsync("update deals set pipeline_id = @pipeline, stage_id = @stage where id = @deal", new { deal, pipeline = target.Id, stage = target.Open[0] });
                    await EnterAsync(db, deal, target.Open[0], RandomTime());
                    break;
            }
        }
        await CompareAsync(db, main, other, "changes one by one");

        // In bulk: one statement changing many deals (triggers see them all at once), and deletes.
        await db.ExecuteAsync("update deals set amount = amount + 1, source = case when id % 2 = 0 then 'call' else source end where id % 3 = 0");
        await db.ExecuteAsync("update deal_stage_history set entered_at = entered_at + interval '20 hours' where id % 4 = 0");
        await db.ExecuteAsync("delete from deals where id = any(@gone)", new { gone = deals.Where((_, i) => i % 9 == 0).ToArray() });
        await CompareAsync(db, main, other, "bulk changes and deletes");

        // Concurrent writers: 8 connections moving and closing deals of the same days at once.
        var live = (await db.QueryAsync<long>("select id from deals where pipeline_id = @id order by id", new { id = main.Id })).ToArray();
        var day = Base.AddDays(200);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            await using var connection = fixture.Db();
            await connection.OpenAsync();
            for (var k = 0; k < 10; k++)
            {
                var deal = live[(w * 10 + k * 7) % live.Length];
                await using var tx = await connection.BeginTransactionAsync();
                await connection.ExecuteAsync("insert into deal_stage_history (deal_id, stage_id, entered_at) values (@deal, @stage, @at)",
                    new { deal, stage = main.Open[k % main.Open.Length], at = day.AddHours(k) }, tx);
                await connection.ExecuteAsync("update deals set amount = amount + 5, closed_at = @at, outcome = 'won', stage_id = @won where id = @deal",
                    new { deal, at = day.AddHours(k + 1), won = main.Won }, tx);
                await tx.CommitAsync();
            }
        }));
        await CompareAsync(db, main, other, "concurrent writers");
    }

    private async Task CompareAsync(NpgsqlConnection db, Pipeline main, Pipeline other, string when)
    {
        // The rollup rows equal a fresh grouping of what they summarise (zero rows a change left behind aside).
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            select count(*) from (
                (select pipeline_id, grain, period, source, currency, stages, deals, amount from deal_funnel_rollups where deals <> 0 or amount <> 0
                 except all
                 select pipeline_id, g, case g when 'd' then (first_at at time zone 'UTC')::date else date_trunc('month', first_at at time zone 'UTC')::date end,
                        source, currency, stages, count(*), sum(amount)
                 from deal_funnel cross join (values ('d'), ('m')) x(g) group by 1, 2, 3, 4, 5, 6)
                union all
                (select pipeline_id, g, case g when 'd' then (first_at at time zone 'UTC')::date else date_trunc('month', first_at at time zone 'UTC')::date end,
                        source, currency, stages, count(*), sum(amount)
                 from deal_funnel cross join (values ('d'), ('m')) x(g) group by 1, 2, 3, 4, 5, 6
                 except all
                 select pipeline_id, grain, period, source, currency, stages, deals, amount from deal_funnel_rollups where deals <> 0 or amount <> 0)
            ) drift
            """));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("""
            with fresh as (
                select pipeline_id, g, case g when 'd' then (closed_at at time zone 'UTC')::date else date_trunc('month', closed_at at time zone 'UTC')::date end as period,
                       outcome, source, currency, loss_reason_id, stage_id, count(*) as deals, sum(amount) as amount
                from deals cross join (values ('d'), ('m')) x(g) where closed_at is not null and outcome is not null group by 1, 2, 3, 4, 5, 6, 7, 8
            ), kept as (
                select pipeline_id, grain, period, outcome, source, currency, loss_reason_id, stage_id, deals, amount from deal_outcome_rollups where deals <> 0 or amount <> 0
            )
            select count(*) from ((select * from kept except all select * from fresh) union all (select * from fresh except all select * from kept)) drift
            """));
        Assert.True(await db.ExecuteScalarAsync<long>("select count(*) from deal_outcome_rollups where deals <> 0") > 0, "some deals are closed");

        var funnel = fixture.App.Services.GetRequiredService<FunnelQuery>();
        var periods = new List<(DateTime From, DateTime To)>
        {
            (Base, Base.AddYears(2)),                                      // everything, whole months
            (Base.AddMonths(2), Base.AddMonths(3)),                        // one whole month
            (Base.AddDays(40), Base.AddDays(41)),                          // one whole day
            (Base.AddDays(40).AddHours(3), Base.AddDays(40).AddHours(9)),  // inside one day
            (Base.AddDays(10).AddHours(13), Base.AddDays(300).AddMinutes(7)),
        };
        for (var i = 0; i < 25; i++)
        {
            var a = RandomTime();
            var b = RandomTime();
            periods.Add(a < b ? (a, b) : (b, a.AddMilliseconds(1)));
        }
        foreach (var (from, to) in periods)
        {
            foreach (var pipeline in new[] { main, other })
            {
                foreach (var source in Sources.Append("nowhere"))
                {
                    var filter = new FunnelFilter(Source: source);
                    var rollups = await funnel.ReadAsync(pipeline.Id, from, to, filter, fromRollups: true, CancellationToken.None);
                    var deals = await funnel.ReadAsync(pipeline.Id, from, to, filter, fromRollups: false, CancellationToken.None);
                    Assert.True(JsonSerializer.Serialize(deals) == JsonSerializer.Serialize(rollups),
                        $"{when}: pipeline {pipeline.Id}, {from:O} - {to:O}, source {source ?? "any"}\nfrom the deals:   {JsonSerializer.Serialize(deals)}\nfrom the rollups: {JsonSerializer.Serialize(rollups)}");
                }
            }
        }
        // The comparison is not between two empty funnels.
        var all = await funnel.ReadAsync(main.Id, Base, Base.AddYears(2), new FunnelFilter(), CancellationToken.None);
        Assert.True(all!.Stages.Sum(s => s.Entered) > 50 && all.Won.Count + all.Lost.Count > 5 && all.LossReasons.Count > 1, when);
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
