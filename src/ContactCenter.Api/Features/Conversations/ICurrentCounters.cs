namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// The caller's counters as `GET /api/counters` answers them: read now, and on the same chain of versions as the
/// `countersChanged` pushes (implemented by Realtime's CounterPushes).
/// </summary>
public interface ICurrentCounters
{
    Task<Counters> ReadAsync(long userId, CancellationToken ct);
}
