using ContactCenter.Connectors.Email;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Infrastructure.Telemetry;

/// <summary>
/// Samples what a gauge cannot compute in its callback without a query: the outbox's depth and the age of its oldest
/// due message (one indexed query every <see cref="Period"/>), and the mailboxes this node reads. Gauges then report
/// the last sample; a failed sample keeps the previous one and says so in the log.
/// </summary>
public sealed class OutboxSampler(NpgsqlDataSource db, AppTelemetry telemetry, IServiceProvider services, ILogger<OutboxSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    private const string Sql = """
        select count(*) as depth,
               coalesce(extract(epoch from now() - min(next_attempt_at) filter (where next_attempt_at <= now())), 0)::float8 as oldest
        from outbox where state in ('pending', 'running')
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            await SampleAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public async Task SampleAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var (depth, oldest) = await connection.QuerySingleAsync<(long, double)>(new CommandDefinition(Sql, cancellationToken: ct));
            var readers = services.GetService<EmailReaderService>()?.Reading.Count ?? 0;
            telemetry.Outbox = new OutboxSample(depth, Math.Max(0, oldest), readers);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Outbox sample failed; the gauges keep the previous values");
        }
    }
}
