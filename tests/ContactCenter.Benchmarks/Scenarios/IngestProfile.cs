using System.Globalization;
using ContactCenter.Benchmarks.Infrastructure;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Where the time goes, from pg_stat_statements over a measured window: every statement the app ran, its
/// calls, planning and execution time per stored message (the WAL flush of COMMIT is not in these times;
/// pg_stat_wal gives it), next to the app's and PostgreSQL's CPU per message and the request latency.
/// </summary>
public static class IngestProfile
{
    public static async Task ResetAsync(BenchContext ctx)
    {
        await ctx.AppDb.ExecuteAsync("select pg_stat_statements_reset()");
    }

    public static async Task ReportAsync(BenchContext ctx, Ingest.Outcome outcome)
    {
        if (outcome.Stored == 0)
        {
            return;
        }
        var n = (double)outcome.Stored;
        var heading = $"### Ingest, 1 node: {outcome.Stored:N0} messages stored in {outcome.Load.Elapsed.TotalSeconds:0} s by {ctx.Size.HttpConcurrency} concurrent senders";
        var summary = $"Per stored message: app CPU {outcome.Cpu.AppSeconds * 1000 / n:0.00} ms, PostgreSQL CPU {outcome.Cpu.PostgresSeconds * 1000 / n:0.00} ms, "
            + $"{outcome.WalPerMessage:0.00} WAL flushes taking {outcome.WalSyncMsPerMessage:0.00} ms (pg_stat_wal); request latency {outcome.Load.Latency.Summary()}; "
            + $"other people's processes used {outcome.Cpu.OthersShare:P0} of the machine's CPU meanwhile.";
        await StatementsAsync(ctx, heading, summary, n, "msg", console: true);
    }

    /// <summary>Writes the top statements since the last reset, per unit of work (stored message, pushed message).</summary>
    public static async Task StatementsAsync(BenchContext ctx, string heading, string summary, double units, string unit, bool console)
    {
        List<object?[]> rows;
        try
        {
            rows = await ctx.AppDb.RowsAsync("""
                select regexp_replace(query, '\s+', ' ', 'g'), calls, total_exec_time, total_plan_time
                from pg_stat_statements s join pg_database d on d.oid = s.dbid
                where d.datname = current_database() and query not like '%pg_stat_statements%'
                order by total_exec_time + total_plan_time desc
                """);
        }
        catch (Npgsql.PostgresException ex)
        {
            ctx.Report.Note($"No statement profile: pg_stat_statements is not available ({ex.MessageText}).");
            return;
        }
        double D(object? v) => Convert.ToDouble(v, CultureInfo.InvariantCulture);
        var execMs = rows.Sum(r => D(r[2]));
        var planMs = rows.Sum(r => D(r[3]));
        var calls = rows.Sum(r => D(r[1]));
        var report = ctx.Report;
        report.Profile(heading);
        report.Profile("");
        report.Profile(summary);
        report.Profile($"In PostgreSQL per {unit}: {calls / units:0.0} statements, {execMs / units:0.00} ms executing and {planMs / units:0.00} ms planning them.");
        report.Profile("");
        report.Profile($"| statement | calls/{unit} | exec ms/{unit} | plan ms/{unit} | share |");
        report.Profile("|---|---|---|---|---|");
        foreach (var r in rows.Take(12))
        {
            var query = (string)r[0]!;
            if (query.Length > 110)
            {
                query = query[..107] + "...";
            }
            var time = D(r[2]) + D(r[3]);
            report.Profile($"| `{query.Replace("|", "\\|", StringComparison.Ordinal)}` | {D(r[1]) / units:0.00} | {D(r[2]) / units:0.000} | {D(r[3]) / units:0.000} | {time / Math.Max(0.001, execMs + planMs):P0} |");
        }
        report.Profile("");
        if (console)
        {
            Progress.Say($"  Statements per {unit} (pg_stat_statements): {calls / units:0.0} statements, {execMs / units:0.00} ms executing, {planMs / units:0.00} ms planning; top:");
            foreach (var r in rows.Take(5))
            {
                var q = (string)r[0]!;
                Progress.Say($"    {(D(r[2]) + D(r[3])) / units,7:0.000} ms  {D(r[1]) / units,5:0.00}x  {(q.Length > 90 ? q[..90] + "..." : q)}");
            }
        }
    }
}
