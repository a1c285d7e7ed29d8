using System.Threading.RateLimiting;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// The screens' reads are let in a few at a time per node, in arrival order (issue #19, "inbox and board at p99").
/// Sixteen inbox or board reads at once on two cores each got a sixteenth of a core and of PostgreSQL, and the operating
/// system's time slices finished some of them much later than others: p50 12 ms, p99 87 ms, max 289 ms for the board in
/// the benchmark. Let in two per core and queued oldest first, each read runs at nearly full speed and a request waits
/// only for the ones ahead of it: same requests per second, p99 about three times lower (docs/benchmarks.md, session 38).
/// Three gates, so that a burst of the heavier reads (filtered deal, lead and contact lists) or of searches does not hold up
/// the inbox behind it. A gate is a concurrency limiter (System.Threading.RateLimiting) taken by an endpoint filter: after authentication and
/// authorization (a request without a valid token never takes a place), and only while the handler reads; the answer is
/// written after the place is given back, so a client that reads its answer slowly holds nobody else up. A read that holds
/// its place longer than <see cref="Options.ReadHoldLimitMs"/> gives it back and finishes outside the gate: a gated read takes
/// milliseconds of CPU, so one that runs that long waits off the CPU (a lock, the disk) and must not hold up the node's
/// other screens behind it. At most as many reads as the gate has places run outside it at once: when a whole table is
/// locked, every read of it gets stuck, and letting each one out after the limit moved them all onto the database pool
/// (an outside review: 150 stuck inbox reads took 98 of its 100 connections and stalled every route of the node); past
/// that the stuck reads keep their places, as without a limit. A full queue answers 429 with Retry-After 1. Writes,
/// webhooks, hub connections and reports are not gated.
/// </summary>
public sealed class ReadGates : IDisposable
{
    /// <summary>The inbox, a conversation, its messages, counters, the board, notifications, a deal's or lead's card.</summary>
    /// <remarks>Not the supervisors' queue: its concurrent requests share one read, which a gate would split.</remarks>
    public const string Screens = "reads";

    /// <summary>Lists with filters and sorts (deals, leads, contacts): tens of milliseconds each.</summary>
    public const string Lists = "heavy-reads";

    /// <summary>
    /// Message and record search, in a gate of its own so that a burst of searches holds up neither the screens nor the lists.
    /// Ungated from session 38 to 41: gated then, a rare word's search took ten times its PostgreSQL time per request in some
    /// of the benchmark's full runs. Session 41 found why, gate or not: the every-match statement's generic plan started two
    /// parallel workers on every call (docs/benchmarks.md, session 41); it runs without them now.
    /// </summary>
    public const string Search = "search-reads";

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

        /// <summary>
        /// <c>RateLimits:ReadHoldLimitMs</c>: how long a read keeps its place (0: until it ends). A screen read takes 1-20 ms
        /// and a list 50-150 ms in the benchmark; one still running after a second waits for something other than a core
        /// (a table lock taken by a migration or an administrator, a slow disk), and the reads queued behind it would
        /// wait as long.
        /// </summary>
        public int ReadHoldLimitMs { get; init; } = 1000;
    }

    /// <summary>Endpoint metadata naming the route's gate (the OpenAPI document lists its 429).</summary>
    public sealed record Gate(string Name);

    private sealed class Gated(ConcurrencyLimiter limiter, int outsideLimit)
    {
        public ConcurrencyLimiter Limiter { get; } = limiter;

        /// <summary>Reads that gave their place back after the hold limit and are still running.</summary>
        private int outside;

        public bool TryLeave()
        {
            if (Interlocked.Increment(ref outside) <= outsideLimit)
            {
                return true;
            }
            Interlocked.Decrement(ref outside);
            return false;
        }

        public void Ended() => Interlocked.Decrement(ref outside);

        public int Outside => Volatile.Read(ref outside);
    }

    private readonly Dictionary<string, Gated> gates = [];

    /// <summary>How long a read keeps its place (<see cref="Options.ReadHoldLimitMs"/>); null: until it ends.</summary>
    internal TimeSpan? HoldLimit { get; }

    public ReadGates(Options options)
    {
        HoldLimit = options.ReadHoldLimitMs > 0 ? TimeSpan.FromMilliseconds(options.ReadHoldLimitMs) : null;
        if (options.ConcurrentReads <= 0)
        {
            return;
        }
        foreach (var gate in new[] { Screens, Lists, Search })
        {
            gates[gate] = new Gated(new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = options.ConcurrentReads,
                QueueLimit = Math.Max(0, options.QueuedReads),
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }), options.ConcurrentReads);
        }
    }

    /// <summary>
    /// Waits for a place at <paramref name="gate"/>; a lease that is not acquired means the queue was full. Null when the
    /// gates are off (<c>ConcurrentReads</c> 0): the read goes in at once.
    /// </summary>
    internal ValueTask<RateLimitLease>? EnterAsync(string gate, CancellationToken ct) =>
        gates.TryGetValue(gate, out var gated) ? gated.Limiter.AcquireAsync(1, ct) : null;

    /// <summary>
    /// A read held past the limit may give its place back and run on outside the gate, unless as many as the gate has
    /// places already do; true means it may, and <see cref="Ended"/> must follow when it ends.
    /// </summary>
    internal bool TryLeave(string gate) => gates[gate].TryLeave();

    internal void Ended(string gate) => gates[gate].Ended();

    /// <summary>Places free at <paramref name="gate"/> now and reads running outside it (tests); null when the gates are off.</summary>
    internal (long Free, int Outside)? State(string gate) =>
        gates.TryGetValue(gate, out var gated) ? (gated.Limiter.GetStatistics()?.CurrentAvailablePermits ?? 0, gated.Outside) : null;

    public void Dispose()
    {
        foreach (var gated in gates.Values)
        {
            gated.Limiter.Dispose();
        }
    }
}

public static class ReadGateExtensions
{
    /// <summary>Lets the route's handler run only with a place at <paramref name="gate"/> (<see cref="ReadGates"/>).</summary>
    public static RouteHandlerBuilder RequireReadGate(this RouteHandlerBuilder builder, string gate = ReadGates.Screens) =>
        builder.WithMetadata(new ReadGates.Gate(gate)).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var gates = http.RequestServices.GetRequiredService<ReadGates>();
            if (gates.EnterAsync(gate, http.RequestAborted) is not { } entering)
            {
                return await next(context);
            }
            using var lease = await entering;
            if (!lease.IsAcquired)
            {
                http.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem("Too many requests; retry later.", statusCode: StatusCodes.Status429TooManyRequests);
            }
            // The handler's result is returned, and written by the endpoint after the lease is disposed.
            var reading = next(context);
            if (reading.IsCompleted || gates.HoldLimit is not { } limit)
            {
                return await reading;
            }
            var read = reading.AsTask();
            try
            {
                return await read.WaitAsync(limit);
            }
            catch (TimeoutException)
            {
                if (!gates.TryLeave(gate))
                {
                    return await read; // as many reads as the gate has places already run outside it: this one keeps its place
                }
                // Held past the limit: the place goes to the next read in the queue (disposing a lease twice releases once).
                lease.Dispose();
                try
                {
                    return await read;
                }
                finally
                {
                    gates.Ended(gate);
                }
            }
        });
}
