using System.Diagnostics;
using System.Threading.Channels;
using ContactCenter.Core;
using ContactCenter.Api.Infrastructure.Telemetry;
using Npgsql;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// Group commit for the inbound pipeline. Messages wait in a queue for one of a few writers; a writer takes every
/// message waiting (up to <see cref="MaxBatch"/>) and stores them in ONE transaction, so concurrent webhooks share
/// one commit (one WAL flush, one connection) instead of paying one each. Nothing waits on purpose: at low load a
/// writer takes a single message and the batch is that message alone. The writers take turns: one takes the queue and
/// runs its batch's statements while the one before it commits, so a batch holds everything that arrived meanwhile
/// (with writers taking the queue side by side, each took a share and the per-batch costs did not spread); a batch
/// whose statements take longer than <see cref="MaxTurn"/> (a lock wait) lets the next writer start beside it, and one
/// that waits for a lock longer than <see cref="InboundBatchStore.LockTimeout"/> is stored message by message (below).
/// Each caller's task completes only after the commit that made its message durable. The batch is written set-based (<see cref="InboundBatchStore"/>: a few
/// statements for the whole batch, not a few per message); a redelivery in the same batch is reported as a duplicate
/// of the first copy. If anything fails in a batch (a race on an external id, a deadlock, one bad message), the batch
/// is rolled back and each of its messages is stored alone (<see cref="InboundStore"/>), so one message's failure is
/// only its own.
/// </summary>
public sealed class InboundBatcher(NpgsqlDataSource db, InboundStore store, InboundBatchStore batchStore, AppTelemetry telemetry, ILogger<InboundBatcher> logger,
    IConfiguration configuration) : IAsyncDisposable
{
    public const int MaxBatch = 64;

    /// <summary>Concurrent writer transactions: enough to keep both cores and the disk busy, few enough to batch.</summary>
    public const int DefaultWriters = 4;

    /// <summary>Senders whose messages a rolled-back batch stores side by side (each sender's in order).</summary>
    private const int FallbackParallelism = 4;

    /// <summary>The longest a writer keeps the turn while its statements run before the next writer may take the queue.</summary>
    public static readonly TimeSpan MaxTurn = TimeSpan.FromMilliseconds(50);

    private readonly int writerCount = Math.Clamp(configuration.GetValue("Inbound:Writers", DefaultWriters), 1, 64);
    private readonly bool takeTurns = configuration.GetValue("Inbound:TakeTurns", true);

    private sealed record Pending(InboundMessage Message, TaskCompletionSource<Ingested> Done, ActivityContext Caller);

    private sealed class BatchFailed(Exception inner) : Exception("The batch was rolled back.", inner);

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Lock gate = new();
    private Task[]? writers;

    public async Task<Ingested> StoreAsync(InboundMessage message, CancellationToken ct)
    {
        StartWriters();
        // The request's view of its group commit: from queueing the message to its batch's commit, in the request's
        // trace, linked both ways with the batch's own span (a batch serves many requests, so it cannot be a child of one).
        using var commit = AppTelemetry.Source.StartActivity("inbound.commit");
        var pending = new Pending(message, new TaskCompletionSource<Ingested>(TaskCreationOptions.RunContinuationsAsynchronously),
            Activity.Current?.Context ?? default);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(InboundBatcher));
        }
        var ingested = await pending.Done.Task.WaitAsync(ct);
        if (ingested.Batch != default)
        {
            commit?.AddLink(new ActivityLink(ingested.Batch));
        }
        return ingested;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        Task[]? started;
        lock (gate)
        {
            started = writers;
        }
        if (started is not null)
        {
            await Task.WhenAll(started);
        }
    }

    private void StartWriters()
    {
        if (Volatile.Read(ref writers) is not null)
        {
            return;
        }
        lock (gate)
        {
            if (writers is null)
            {
                var turn = takeTurns ? new SemaphoreSlim(1, 1) : null;
                writers = Enumerable.Range(0, writerCount).Select(_ => Task.Run(() => WriteLoopAsync(queue.Reader, turn, db, store, batchStore, telemetry, logger))).ToArray();
            }
        }
    }

    /// <summary>Stores these messages as one batch, as a writer would (for tests: batching by timing is not deterministic).</summary>
    internal async Task<IReadOnlyList<Task<IngestResult>>> StoreBatchAsync(IReadOnlyList<InboundMessage> messages) =>
        (await StoreBatchWithRecordsAsync(messages)).Select(async t => (await t).Result).ToList();

    /// <summary><see cref="StoreBatchAsync"/> with the client's records the batch returned for the push.</summary>
    internal async Task<IReadOnlyList<Task<Ingested>>> StoreBatchWithRecordsAsync(IReadOnlyList<InboundMessage> messages)
    {
        var batch = messages.Select(m => new Pending(m, new TaskCompletionSource<Ingested>(TaskCreationOptions.RunContinuationsAsynchronously), default)).ToList();
        await WriteAsync(db, store, batchStore, logger, batch);
        return batch.Select(p => p.Done.Task).ToList();
    }

    /// <summary>Stores these messages one by one, each in its own transaction, as the fallback does (for tests comparing the two paths).</summary>
    internal async Task<IReadOnlyList<IngestResult>> StoreEachAloneAsync(IReadOnlyList<InboundMessage> messages)
    {
        var results = new List<IngestResult>(messages.Count);
        foreach (var message in messages)
        {
            results.Add((await StoreOneAsync(db, store, message)).Result);
        }
        return results;
    }

    private static async Task WriteLoopAsync(ChannelReader<Pending> reader, SemaphoreSlim? turn, NpgsqlDataSource db, InboundStore store,
        InboundBatchStore batchStore, AppTelemetry telemetry, ILogger logger)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            var myTurn = await Turn.TakeAsync(turn);
            try
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
                if (batch.Count == 0)
                {
                    continue; // another writer took what woke this one
                }
                telemetry.BatchSize.Record(batch.Count);
                // A batch serves many requests: it is its own root, linked to each caller's span (the writer task would
                // otherwise inherit the span of whichever request started the writers, forever).
                Activity.Current = null;
                using var span = AppTelemetry.Source.StartActivity("inbound.batch", ActivityKind.Internal, parentContext: default,
                    links: batch.Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller)));
                span?.SetTag("batch.size", batch.Count);
                await WriteAsync(db, store, batchStore, logger, batch, myTurn);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Never expected (each path completes its messages); the writer must outlive it all the same.
                logger.LogError(ex, "Inbound writer failed a batch of {Count}", batch.Count);
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
            finally
            {
                myTurn.Pass();
            }
        }
    }

    /// <summary>
    /// A writer's turn at the queue: passed to the next writer when its batch's statements are done (before the commit), on
    /// any failure, or after <see cref="MaxTurn"/>, whichever comes first; passing it again does nothing.
    /// </summary>
    private sealed class Turn
    {
        private static readonly Turn None = new(null);

        private readonly SemaphoreSlim? gate;
        private readonly Timer? limit;
        private int passed;

        private Turn(SemaphoreSlim? gate)
        {
            this.gate = gate;
            if (gate is not null)
            {
                // Armed only once stored (a timer armed in its constructor could fire before the field is set), and without
                // the writer's execution context (nothing of it is needed to pass a turn).
                using (ExecutionContext.SuppressFlow())
                {
                    limit = new Timer(static t => ((Turn)t!).Pass(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }
                limit.Change(MaxTurn, Timeout.InfiniteTimeSpan);
            }
        }

        public static async ValueTask<Turn> TakeAsync(SemaphoreSlim? gate)
        {
            if (gate is null)
            {
                return None;
            }
            await gate.WaitAsync();
            return new Turn(gate);
        }

        public void Pass()
        {
            if (gate is not null && Interlocked.Exchange(ref passed, 1) == 0)
            {
                gate.Release();
                limit?.Dispose();
            }
        }
    }

    private static async Task WriteAsync(NpgsqlDataSource db, InboundStore store, InboundBatchStore batchStore, ILogger logger, List<Pending> batch,
        Turn? turn = null)
    {
        try
        {
            var results = await StoreTogetherAsync(db, batchStore, batch, turn);
            var span = Activity.Current?.Context ?? default; // the writer's inbound.batch
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i] with { Batch = span });
            }
        }
        catch (BatchFailed ex) when (ex.InnerException is NpgsqlException and not PostgresException)
        {
            // The database is unreachable (or the connection broke): every message of the batch fails alike,
            // at once, and is not acknowledged (the webhook answers 503; the provider delivers it again).
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex.InnerException);
            }
        }
        catch (BatchFailed ex)
        {
            // The turn is kept (up to MaxTurn), so a later batch does not store a later message of the same conversation
            // before this one. Each sender's messages go in order; different senders side by side, so one stuck on a
            // lock (the batch's lock timeout brought it here) does not hold the others.
            logger.LogDebug(ex.InnerException, "Inbound batch of {Count} rolled back; storing its messages one by one", batch.Count);
            await Parallel.ForEachAsync(batch.GroupBy(p => (p.Message.ChannelId, p.Message.Sender.Address)),
                new ParallelOptions { MaxDegreeOfParallelism = FallbackParallelism }, async (sender, _) =>
                {
                    foreach (var pending in sender)
                    {
                        await StoreAloneAsync(db, store, pending);
                    }
                });
        }
    }

    private static async Task<Ingested[]> StoreTogetherAsync(NpgsqlDataSource db, InboundBatchStore batchStore, List<Pending> batch, Turn? turn)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            var results = await batchStore.StoreAsync(connection, tx, batch.Select(p => p.Message).ToList(), CancellationToken.None);
            turn?.Pass(); // the next writer takes what arrived meanwhile while this one commits
            await tx.CommitAsync();
            return results;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new BatchFailed(ex);
        }
    }

    private static async Task StoreAloneAsync(NpgsqlDataSource db, InboundStore store, Pending pending)
    {
        try
        {
            pending.Done.TrySetResult(await StoreOneAsync(db, store, pending.Message));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            pending.Done.TrySetException(ex);
        }
    }

    private static async Task<Ingested> StoreOneAsync(NpgsqlDataSource db, InboundStore store, InboundMessage message)
    {
        InboundStore.Stored? stored;
        await using (var connection = await db.OpenConnectionAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            stored = await store.StoreAsync(connection, tx, message, CancellationToken.None);
            if (stored is null)
            {
                // Another transaction stored the same external id first: ours changes nothing.
                await tx.RollbackAsync();
            }
            else
            {
                if (stored.WakeOutbox)
                {
                    await InboundStore.WakeOutboxAsync(connection, tx);
                }
                await tx.CommitAsync();
            }
        }
        return stored is null ? new Ingested(await InboundStore.FirstAsync(db, message, CancellationToken.None)) : new Ingested(stored.Result, Crm: stored.Crm);
    }
}
