using System.Globalization;
using ContactCenter.Benchmarks.Infrastructure;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Where an inbound message's time goes, from pg_stat_statements over the measured ingest window: every
/// statement the pipeline runs, its calls and execution time per stored message (COMMIT includes the WAL
/// flush wait), next to the app's and PostgreSQL's CPU per message and the request latency.
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
        List<object?[]> rows;
        try
        {
            rows = await ctx.AppDb.RowsAsync("""
                select regexp_replace(query, '\s+', ' ', 'g'), calls, total_exec_time, rows
                from pg_stat_statements s join pg_database d on d.oid = s.dbid
                where d.datname = current_database()
                order by total_exec_time desc limit 14
                """);
        }
        catch (Npgsql.PostgresException ex)
        {
            ctx.Report.Note($"No ingest profile: pg_stat_statements is not available ({ex.MessageText}).");
            return;
        }
        var n = (double)outcome.Stored;
        var totalMs = rows.Sum(r => Convert.ToDouble(r[2], CultureInfo.InvariantCulture));
        var totalCalls = rows.Sum(r => Convert.ToDouble(r[1], CultureInfo.InvariantCulture));
        var report = ctx.Report;
        report.Profile($"Measured with pg_stat_statements over the {outcome.Load.Elapsed.TotalSeconds:0} s ingest window "
            + $"({outcome.Stored:N0} messages stored, {ctx.Size.HttpConcurrency} concurrent senders, 1 node), "
            + "plus CPU time of the app and PostgreSQL processes from /proc.");
        report.Profile("");
        report.Profile($"Per stored message: {totalCalls / n:0.0} statements taking {totalMs / n:0.00} ms of execution in PostgreSQL "
            + $"(top 14 statements), app CPU {outcome.Cpu.AppSeconds * 1000 / n:0.00} ms, PostgreSQL CPU {outcome.Cpu.PostgresSeconds * 1000 / n:0.00} ms, "
            + $"{outcome.WalPerMessage:0.00} WAL flushes; request latency {outcome.Load.Latency.Summary()}.");
        report.Profile("");
        report.Profile("| statement | calls/msg | ms/msg | share |");
        report.Profile("|---|---|---|---|");
        foreach (var r in rows)
        {
            var query = (string)r[0]!;
            if (query.Length > 110)
            {
                query = query[..107] + "...";
            }
            var calls = Convert.ToDouble(r[1], CultureInfo.InvariantCulture);
            var ms = Convert.ToDouble(r[2], CultureInfo.InvariantCulture);
            report.Profile($"| `{query.Replace("|", "\\|", StringComparison.Ordinal)}` | {calls / n:0.00} | {ms / n:0.000} | {ms / Math.Max(0.001, totalMs):P0} |");
        }
        Progress.Say("  Ingest profile (pg_stat_statements, per stored message):");
        foreach (var r in rows.Take(6))
        {
            var q = (string)r[0]!;
            Progress.Say($"    {Convert.ToDouble(r[2], CultureInfo.InvariantCulture) / n,7:0.000} ms  {Convert.ToDouble(r[1], CultureInfo.InvariantCulture) / n,5:0.00}x  {(q.Length > 90 ? q[..90] + "..." : q)}");
        }
    }
}
