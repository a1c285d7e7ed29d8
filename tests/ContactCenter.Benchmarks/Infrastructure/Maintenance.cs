namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>
/// Which tables a (auto)vacuum or analyze worked on while a figure was measured, sampled twice a second from PostgreSQL's
/// progress views: their CPU counts as PostgreSQL's in the figure's "CPU per request", and on two cores they take it from
/// the reads measured (session 41: a full run's search rows cost ten times their usual PostgreSQL time now and then).
/// </summary>
internal sealed class Maintenance
{
    private const string Sql = """
        select string_agg(distinct c.relname || case when p.kind = 'a' then ' (analyze)' else '' end, ',')
        from (select relid, 'v' as kind from pg_stat_progress_vacuum where datid = (select oid from pg_database where datname = current_database())
              union all
              select relid, 'a' from pg_stat_progress_analyze where datid = (select oid from pg_database where datname = current_database())) p
        join pg_class c on c.oid = p.relid
        """;

    private readonly SortedSet<string> seen = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private Task sampling = Task.CompletedTask;

    public static Maintenance Watch(BenchDb db)
    {
        var m = new Maintenance();
        m.sampling = Task.Run(() => m.SampleAsync(db));
        return m;
    }

    private async Task SampleAsync(BenchDb db)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var names = await db.ScalarAsync<string?>(Sql);
                if (!string.IsNullOrEmpty(names))
                {
                    lock (seen)
                    {
                        seen.UnionWith(names.Split(','));
                    }
                }
                await Task.Delay(500, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Npgsql.NpgsqlException)
            {
                // A sample lost is a sample lost; the figure does not depend on it.
            }
        }
    }

    /// <summary>Stops sampling; "; vacuum or analyze meanwhile on ..." when one ran, else empty.</summary>
    public async Task<string> StopAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
        lock (seen)
        {
            return seen.Count == 0 ? "" : $"; (auto)vacuum or analyze meanwhile on {string.Join(", ", seen)}";
        }
    }
}
