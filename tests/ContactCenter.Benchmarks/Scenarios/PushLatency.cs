using System.Collections.Concurrent;
using System.Diagnostics;
using ContactCenter.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3 (and the push half of 6): managers on WebSockets, all members of one channel; inbound messages
/// at half the measured max ingest rate; the time from the webhook send to each manager's `messageCreated`,
/// and per message until the last manager had it; deliveries missing or doubled.
/// </summary>
public static partial class PushLatency
{
    public sealed record MessageLite(long Id, string? ExternalId);

    public sealed record Outcome(Latency PerDelivery, Latency ToAll, double TargetRate, double AchievedRate, long Messages,
        long Expected, long Missing, long Duplicates, long FailedSends, int Connected, CpuWindow.Usage Cpu, Latency IdleToAll, int IdleMessages)
    {
        /// <summary>From the first send to the last delivery of the loaded phase.</summary>
        public TimeSpan Window { get; init; }
    }

    /// <summary>Messages sent one at a time after the loaded phase: the latency floor with nothing queued.</summary>
    private const int IdleMessages = 4;

    public static async Task<Outcome> MeasureAsync(BenchContext ctx, string title, IReadOnlyList<AppNode> nodes, TimeSpan duration, double rate)
    {
        var managers = ctx.Size.Managers;
        var tokens = BenchDb.Tokens(ctx.PushManagers);
        var maxMessages = (int)(rate * duration.TotalSeconds * 1.2) + 16 + IdleMessages;
        var idleStart = int.MaxValue;
        var idleDelivery = new Latency();
        var sendTs = new long[maxMessages];
        var lastArrival = new long[maxMessages];
        var stored = new bool[maxMessages];
        var counts = new int[(long)maxMessages * managers];
        var index = new ConcurrentDictionary<string, int>();
        var perDelivery = new Latency();
        long delivered = 0, duplicates = 0;

        var connections = new HubConnection?[managers];
        var connected = 0;
        string? connectError = null;
        using (new Progress($"{title}: {managers} managers connect", null, () => $"{Volatile.Read(ref connected)}/{managers}"))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, managers), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (m, _) =>
            {
                var node = nodes[m % nodes.Count];
                var connection = new HubConnectionBuilder()
                    .WithUrl(node.BaseUrl + "/hubs/inbox", o =>
                    {
                        o.Transports = HttpTransportType.WebSockets;
                        o.SkipNegotiation = true;
                        o.AccessTokenProvider = () => Task.FromResult<string?>(tokens[m]);
                    })
                    .Build();
                connection.ServerTimeout = TimeSpan.FromMinutes(5);
                Helpers.InboxEvents.HandleOthers(connection, "messageCreated");
                connection.On<MessageLite>("messageCreated", msg =>
                {
                    var now = Stopwatch.GetTimestamp();
                    if (msg.ExternalId is null || !index.TryGetValue(msg.ExternalId, out var i))
                    {
                        return;
                    }
                    if (Interlocked.Increment(ref counts[(long)i * managers + m]) == 1)
                    {
                        (i >= Volatile.Read(ref idleStart) ? idleDelivery : perDelivery).RecordElapsed(Volatile.Read(ref sendTs[i]), now);
                        Interlocked.Increment(ref delivered);
                        long seen;
                        while ((seen = Volatile.Read(ref lastArrival[i])) < now && Interlocked.CompareExchange(ref lastArrival[i], now, seen) != seen)
                        {
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref duplicates);
                    }
                });
                try
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    await connection.StartAsync(cts.Token);
                    connections[m] = connection;
                    Interlocked.Increment(ref connected);
                }
                catch (Exception ex)
                {
                    connectError ??= ex.Message;
                    await connection.DisposeAsync();
                }
            });
        }
        if (connected < managers)
        {
            ctx.Report.Note($"{title}: only {connected} of {managers} managers connected ({connectError}).");
        }

        // A queue of about a hundred waiting customers: returning contacts 1..100 (and 10% new ones) on an empty inbox.
        // The pool comes first even when the ingest scenario did not run (--only push): the traffic's new contacts are
        // numbered after it, and a pool written later would collide with them.
        await ContactPool.EnsureAsync(ctx);
        var resolved = await ctx.ResolveOpenConversationsAsync();
        var traffic = new Traffic(new IngestTargets(ctx.PushChannelId, "bench-api-secret-0123456789", null, ""), ctx.RunTag,
            $"{ctx.RunTag}-push{nodes.Count}", 100_000_000L + nodes.Count * 10_000_000L, Math.Min(ctx.KnownContacts, 100), redeliveryShare: 0);
        // No more requests in flight than the ingest scenario's senders: past that they would only queue for database connections.
        var sender = new PacedSender(ctx.Http, ctx.Size.HttpConcurrency);
        await IngestProfile.ResetAsync(ctx);
        var cpu = new CpuWindow(nodes.Select(n => n.Pid), ctx.PostmasterPid);
        TimeSpan sendingTook;
        using (new Progress($"{title}: {rate:0}/s to {connected} managers", duration, () =>
                   $"{sender.Sent:N0} sent, {Interlocked.Read(ref delivered):N0} delivered, p99 {Fmt.Ms(perDelivery.PercentileMs(99))}"))
        {
            sendingTook = await sender.RunAsync(rate, duration, maxMessages - IdleMessages, i =>
            {
                var message = traffic.Next(nodes[i % nodes.Count].BaseUrl);
                index[message.ExternalId] = i;
                Volatile.Write(ref sendTs[i], Stopwatch.GetTimestamp());
                return message.Request;
            }, (i, ok) => stored[i] = ok);
        }
        var sent = sender.Sent;
        var failedSends = sender.Failed;
        var expected = 0L;
        using (new Progress($"{title}: last deliveries", TimeSpan.FromSeconds(ctx.Options.Quick ? 10 : 15), () =>
                   $"{Interlocked.Read(ref delivered):N0}/{expected:N0} delivered"))
        {
            await sender.DrainAsync(TimeSpan.FromSeconds(30));
            // Stored is what the database holds, whatever the HTTP answer was (a request can time out after its commit).
            await MarkStoredAsync(ctx, index, stored, sent);
            expected = stored.Take(sent).Count(s => s) * (long)connected;
            var grace = Stopwatch.StartNew();
            while (Interlocked.Read(ref delivered) < expected && grace.Elapsed < TimeSpan.FromSeconds(ctx.Options.Quick ? 10 : 15))
            {
                await Task.Delay(50);
            }
        }
        await MarkStoredAsync(ctx, index, stored, sent);
        var loadedSent = sent;
        var storedCount = stored.Take(sent).Count(s => s);

        // Then a few messages one at a time: how fast a push is when nothing waits in front of it. First let the app
        // finish what it still owes (requests that timed out on the client may still be pushing).
        using (new Progress($"{title}: app catching up", TimeSpan.FromSeconds(ctx.Options.Quick ? 10 : 45), () =>
                   $"{Interlocked.Read(ref delivered):N0}/{storedCount * (long)connected:N0} delivered"))
        {
            var catchUp = Stopwatch.StartNew();
            while (catchUp.Elapsed < TimeSpan.FromSeconds(ctx.Options.Quick ? 10 : 45))
            {
                await MarkStoredAsync(ctx, index, stored, sent);
                storedCount = stored.Take(sent).Count(s => s);
                if (Interlocked.Read(ref delivered) >= storedCount * (long)connected)
                {
                    break;
                }
                await Task.Delay(500);
            }
            await Task.Delay(1000);
        }
        var usage = cpu.Stop();
        // Late is not missing: what has not arrived after the catch-up never will.
        var stillMissing = Math.Max(0, storedCount * (long)connected - Interlocked.Read(ref delivered));
        Volatile.Write(ref idleStart, sent);
        var idleToAll = new Latency();
        using (new Progress($"{title}: {IdleMessages} messages one at a time", null, () => $"{sent - loadedSent}/{IdleMessages}"))
        {
            for (var k = 0; k < IdleMessages && sent < maxMessages; k++)
            {
                var i = sent++;
                var message = traffic.Next(nodes[i % nodes.Count].BaseUrl);
                index[message.ExternalId] = i;
                Volatile.Write(ref sendTs[i], Stopwatch.GetTimestamp());
                try
                {
                    using var request = message.Request;
                    using var response = await ctx.Http.SendAsync(request);
                    stored[i] = response.IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    stored[i] = false;
                }
                var wait = Stopwatch.StartNew();
                bool All() => Enumerable.Range(0, managers).All(m => connections[m] is null || Volatile.Read(ref counts[(long)i * managers + m]) > 0);
                while (!All() && wait.Elapsed < TimeSpan.FromSeconds(15))
                {
                    await Task.Delay(10);
                }
                if (All())
                {
                    idleToAll.RecordElapsed(sendTs[i], Volatile.Read(ref lastArrival[i]));
                }
            }
        }
        await IngestProfile.StatementsAsync(ctx, $"### {title}: {storedCount + sent - loadedSent:N0} messages pushed to {connected} managers",
            $"Per pushed message: app CPU {usage.AppSeconds * 1000 / Math.Max(1, storedCount):0.0} ms, PostgreSQL CPU {usage.PostgresSeconds * 1000 / Math.Max(1, storedCount):0.0} ms "
            + $"(ingest, then messageCreated, conversationUpdated and countersChanged to every manager); "
            + $"{resolved:N0} conversations left open by earlier scenarios were resolved first.",
            Math.Max(1, storedCount + sent - loadedSent), "msg", console: false);
        var toAll = new Latency();
        long complete = 0, lastLoaded = 0;
        for (var i = 0; i < loadedSent; i++)
        {
            lastLoaded = Math.Max(lastLoaded, lastArrival[i]);
            if (!stored[i])
            {
                continue;
            }
            var all = true;
            for (var m = 0; m < managers && all; m++)
            {
                all = connections[m] is null || counts[(long)i * managers + m] > 0;
            }
            if (all)
            {
                complete++;
                toAll.RecordElapsed(sendTs[i], lastArrival[i]);
            }
        }
        await Parallel.ForEachAsync(connections.Where(c => c is not null), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) => await c!.DisposeAsync());
        return new Outcome(perDelivery, toAll, rate, loadedSent / sendingTook.TotalSeconds, loadedSent, storedCount * (long)connected,
            stillMissing, duplicates, failedSends, connected, usage, idleToAll, IdleMessages)
        {
            Window = loadedSent == 0 || lastLoaded == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((lastLoaded - sendTs[0]) / (double)Stopwatch.Frequency),
        };
    }

    private static async Task MarkStoredAsync(BenchContext ctx, ConcurrentDictionary<string, int> index, bool[] stored, int sent)
    {
        var ids = index.Where(kv => kv.Value < sent).Select(kv => kv.Key).ToArray();
        foreach (var row in await ctx.AppDb.RowsAsync("select external_id from messages where channel_id = $1 and external_id = any($2)", ctx.PushChannelId, ids))
        {
            if (index.TryGetValue((string)row[0]!, out var i))
            {
                stored[i] = true;
            }
        }
    }

    public static async Task RunAsync(BenchContext ctx)
    {
        await ctx.EnsureAppAsync();
        var rate = double.IsNaN(ctx.IngestRate) ? 50 : Math.Max(1, ctx.IngestRate / 2);
        var outcome = await MeasureAsync(ctx, "push, 1 node", [ctx.NodeA!], ctx.Size.Push, rate);
        ctx.PushP99Ms = outcome.PerDelivery.PercentileMs(99);
        AddRows(ctx, "3 push", "1 node", outcome);
        if (outcome.Connected > 0 && outcome.AchievedRate > 0)
        {
            var bare = await BareFanOut.MeasureAsync(ctx, outcome.Connected, outcome.AchievedRate, ctx.Size.Push);
            AddBareRows(ctx, outcome, bare);
        }
    }
}
