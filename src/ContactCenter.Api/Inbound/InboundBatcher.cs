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
/// writer takes a single message and the batch is that message alone. Each caller's task completes only after
/// the commit that made its message durable. Dedupe is per message as before: a redelivery in the same batch sees
/// the first copy (same transaction) and is reported as a duplicate.
/// If anything fails in a batch (a race on an external id, a deadlock, one bad message), the batch is rolled back
/// and each of its messages is stored alone, so one message's failure is only its own.
/// </summary>
public sealed class InboundBatcher(NpgsqlDataSource db, InboundStore store, AppTelemetry telemetry, ILogger<InboundBatcher> logger) : IAsyncDisposable
{
    public const int MaxBatch = 64;

    /// <summary>Concurrent writer transactions: enough to keep both cores and the disk busy, few enough to batch.</summary>
    public const int Writers = 4;

    private sealed record Pending(InboundMessage Message, TaskCompletionSource<IngestResult> Done, ActivityContext Caller);

    private sealed class BatchFailed(Exception inner) : Exception("The batch was rolled back.", inner);

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Lock gate = new();
    private Task[]? writers;

    public async Task<IngestResult> StoreAsync(InboundMessage message, CancellationToken ct)
    {
        StartWriters();
        var pending = new Pending(message, new TaskCompletionSource<IngestResult>(TaskCreationOptions.RunContinuationsAsynchronously),
            Activity.Current?.Context ?? default);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(InboundBatcher));
        }
        return await pending.Done.Task.WaitAsync(ct);
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
            writers ??= Enumerable.Range(0, Writers).Select(_ => Task.Run(() => WriteLoopAsync(queue.Reader, db, store, telemetry, logger))).ToArray();
        }
    }

    /// <summary>Stores these messages as one batch, as a writer would (for tests: batching by timing is not deterministic).</summary>
    internal async Task<IReadOnlyList<Task<IngestResult>>> StoreBatchAsync(IReadOnlyList<InboundMessage> messages)
    {
        var batch = messages.Select(m => new Pending(m, new TaskCompletionSource<IngestResult>(TaskCreationOptions.RunContinuationsAsynchronously), default)).ToList();
        await WriteAsync(db, store, logger, batch);
        return batch.Select(p => p.Done.Task).ToList();
    }

    private static async Task WriteLoopAsync(ChannelReader<Pending> reader, NpgsqlDataSource db, InboundStore store, AppTelemetry telemetry, ILogger logger)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync())
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
            try
            {
                await WriteAsync(db, store, logger, batch);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Never expected (each path completes its messages); the writer must outlive it all the same.
                logger.LogError(ex, "Inbound writer failed a batch of {Count}", batch.Count);
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
        }
    }

    private static async Task WriteAsync(NpgsqlDataSource db, InboundStore store, ILogger logger, List<Pending> batch)
    {
        if (batch.Count <= 1)
        {
            foreach (var pending in batch)
            {
                await StoreAloneAsync(db, store, pending);
            }
            return;
        }
        try
        {
            var results = await StoreTogetherAsync(db, store, batch);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
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
            logger.LogDebug(ex.InnerException, "Inbound batch of {Count} rolled back; storing its messages one by one", batch.Count);
            foreach (var pending in batch)
            {
                await StoreAloneAsync(db, store, pending);
            }
        }
    }

    private static async Task<IngestResult[]> StoreTogetherAsync(NpgsqlDataSource db, InboundStore store, List<Pending> batch)
    {
        // Messages take their senders' advisory locks in one order (a stable sort keeps each sender's own order),
        // so two writers' batches do not deadlock on them.
        var order = Enumerable.Range(0, batch.Count)
            .OrderBy(i => batch[i].Message.Sender.Address, StringComparer.Ordinal).ThenBy(i => batch[i].Message.ChannelId).ToList();
        var results = new IngestResult[batch.Count];
        try
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            var wakeOutbox = false;
            foreach (var i in order)
            {
                var stored = await store.StoreAsync(connection, tx, batch[i].Message, CancellationToken.None)
                    ?? throw new InvalidOperationException("Another transaction stored the same external id first.");
                results[i] = stored.Result;
                wakeOutbox |= stored.WakeOutbox;
            }
            if (wakeOutbox)
            {
                await InboundStore.WakeOutboxAsync(connection, tx);
            }
            await tx.CommitAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new BatchFailed(ex);
        }
        return results;
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

    private static async Task<IngestResult> StoreOneAsync(NpgsqlDataSource db, InboundStore store, InboundMessage message)
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
        return stored?.Result ?? await InboundStore.FirstAsync(db, message, CancellationToken.None);
    }
}
