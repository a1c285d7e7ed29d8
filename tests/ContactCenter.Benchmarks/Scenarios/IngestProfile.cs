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

    /// <summary>The app's side: its CPU per message split by where the sampled busy stacks were (see <see cref="AppCpuProfile"/>).</summary>
    public static void AppCpu(BenchContext ctx, Ingest.Outcome outcome)
    {
        var appMsPerMessage = outcome.Cpu.AppSeconds * 1000 / Math.Max(1, outcome.Stored);
        AppCpu(ctx.Report, $"#### The app's CPU per message ({appMsPerMessage:0.00} ms), by where its threads were busy", "ms/msg", appMsPerMessage,
            outcome.AppProfile, outcome.AppProfileFailure, outcome.AppProfileWindow);
    }

    /// <summary>A profile's areas, own methods and leaves, with each area's share of <paramref name="appMsPerUnit"/>.</summary>
    public static void AppCpu(Report report, string heading, string unit, double appMsPerUnit, AppCpuProfile.Result? profile, string? failure, TimeSpan window)
    {
        if (profile is not { } p)
        {
            if (failure is not null)
            {
                report.Note($"No app CPU profile: {failure}");
            }
            return;
        }
        report.Profile(heading);
        report.Profile("");
        report.Profile($"`perf record -e cpu-clock -g` on the app over {window.TotalSeconds:0} s of the same load right after the measured window "
            + $"(sampling costs CPU, so not during it): {p.Samples:N0} samples, {p.CpuSeconds:0.0} s of CPU. "
            + "A sample counts for the leaf-most frame of a known library, so a socket write by Npgsql is Npgsql's and a serialization called by "
            + $"the pipeline is JSON's; {unit} is the share times the measured app CPU per unit.");
        report.Profile("");
        Shares(report, "", $"| where | share | {unit} |", p.Areas, (name, share) => $"| {name} | {share:P0} | {share * appMsPerUnit:0.00} |");
        Shares(report, "ContactCenter methods on the sampled stacks (inclusive: the method or what it called was running):",
            "| method | inclusive share |", p.OwnMethods, (name, share) => $"| `{name}` | {share:P0} |");
        Shares(report, "Hottest leaf methods (exclusive):", "| method | exclusive share |", p.Leaves,
            (name, share) => $"| `{name.Replace("|", "\\|", StringComparison.Ordinal)}` | {share:P0} |");
        Progress.Say($"  App CPU ({appMsPerUnit:0.00} {unit}) by area (perf, {p.Samples:N0} samples):");
        foreach (var (name, share) in p.Areas.Take(10))
        {
            Progress.Say($"    {share * appMsPerUnit,6:0.00} ms  {share,4:P0}  {name}");
        }
        foreach (var (name, share) in p.OwnMethods.Take(12))
        {
            Progress.Say($"      {share,4:P0}  {name}");
        }
    }

    private static void Shares(Report report, string caption, string header, IReadOnlyList<(string Name, double Share)> rows, Func<string, double, string> row)
    {
        if (caption.Length > 0)
        {
            report.Profile(caption);
            report.Profile("");
        }
        report.Profile(header);
        report.Profile(string.Concat(Enumerable.Repeat("|---", header.Count(c => c == '|') - 1)) + "|");
        foreach (var (name, share) in rows)
        {
            report.Profile(row(name, share));
        }
        report.Profile("");
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
