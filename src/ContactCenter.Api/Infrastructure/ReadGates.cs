using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// The screens' reads are let in a few at a time per node, in arrival order (issue #19, "inbox and board at p99").
/// Sixteen inbox or board reads at once on two cores each got a sixteenth of a core and of PostgreSQL, and the operating
/// system's time slices finished some of them much later than others: p50 12 ms, p99 87 ms, max 289 ms for the board in
/// the benchmark. Let in two per core and queued oldest first, each read runs at nearly full speed and a request waits
/// only for the ones ahead of it: same requests per second, p99 about three times lower (docs/benchmarks.md, session 38).
/// Two gates, so that a burst of the heavier reads (filtered deal, lead and contact lists) does not hold up the inbox behind
/// it. A gate is ASP.NET Core's concurrency limiter on the route (<c>RequireRateLimiting</c>); a full queue answers 429
/// with Retry-After 1. Writes, webhooks, hub connections and reports are not gated.
/// </summary>
public static class ReadGates
{
    /// <summary>
    /// The inbox, a conversation, its messages, counters, the board, notifications, a deal's or lead's card. Not the
    /// supervisors' queue: its concurrent requests share one read, which a gate would split.
    /// </summary>
    public const string Screens = "reads";

    /// <summary>
    /// Lists with filters and sorts (deals, leads, contacts): tens of milliseconds each. Not message search: gated, it took
    /// several times the PostgreSQL time per request in the benchmark's full runs (cause not found; docs/benchmarks.md, session 38).
    /// </summary>
    public const string Lists = "heavy-reads";

    /// <summary><c>RateLimits:ConcurrentReads</c> (per gate and node; 0 lets every read in at once) and <c>RateLimits:QueuedReads</c>.</summary>
    public sealed record Options
    {
        public int ConcurrentReads { get; init; } = Math.Max(2, 2 * Environment.ProcessorCount);

        /// <summary>
        /// Generous: after a node restarts, every agent's tabs reconnect and re-read their inbox, counters and open
        /// conversation at once, and those must wait their turn, not fail. Waiting costs a request's memory only; without
        /// the gate the same burst waited on the connection pool, whose 15 s timeout failed it.
        /// </summary>
        public int QueuedReads { get; init; } = 10_000;
    }

    internal static void Add(RateLimiterOptions limiter, Options options)
    {
        foreach (var gate in new[] { Screens, Lists })
        {
            limiter.AddPolicy(gate, _ => options.ConcurrentReads <= 0
                ? RateLimitPartition.GetNoLimiter(gate)
                : RateLimitPartition.GetConcurrencyLimiter(gate, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.ConcurrentReads,
                    QueueLimit = Math.Max(0, options.QueuedReads),
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
        }
    }

    /// <summary>True when the request was refused by a read gate (its queue was full): worth a retry in a second.</summary>
    internal static bool Refused(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName is Screens or Lists;

    public static TBuilder RequireReadGate<TBuilder>(this TBuilder builder, string gate = Screens) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(gate);
}
