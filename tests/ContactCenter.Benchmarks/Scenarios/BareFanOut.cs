using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using ContactCenter.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// The bare hub doing what the app's worst-case push does (scenario 3): the same number of WebSocket connections,
/// the same three events per message (messageCreated, conversationUpdated, countersChanged, payloads of the app's
/// size) to every connection, at the message rate the app achieved; timed the same way, from the request's send to
/// each connection's messageCreated. What is left between the two is what the app adds: storing, the audience, and
/// sending to user groups instead of to all.
/// </summary>
public static class BareFanOut
{
    public sealed record Outcome(Latency PerDelivery, double AchievedRate, long Messages, long Expected, long Delivered, long Duplicates, int Connected,
        TimeSpan Window);

    public static async Task<Outcome> MeasureAsync(BenchContext ctx, int connections, double rate, TimeSpan duration)
    {
        var maxMessages = (int)(rate * duration.TotalSeconds * 1.2) + 16;
        var sendTs = new long[maxMessages];
        var counts = new int[(long)maxMessages * connections];
        var index = new ConcurrentDictionary<string, int>();
        var perDelivery = new Latency();
        long delivered = 0, duplicates = 0, lastArrival = 0;
        var hubs = new HubConnection?[connections];
        var connected = 0;
        using (new Progress($"bare fan-out: {connections} connections", null, () => $"{Volatile.Read(ref connected)}/{connections}"))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, connections), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) =>
            {
                var hub = new HubConnectionBuilder()
                    .WithUrl(ctx.BareUrl + "/hubs/bare", o =>
                    {
                        o.Transports = HttpTransportType.WebSockets;
                        o.SkipNegotiation = true;
                    })
                    .Build();
                hub.ServerTimeout = TimeSpan.FromMinutes(5);
                hub.On<PushLatency.MessageLite>("messageCreated", msg =>
                {
                    var now = Stopwatch.GetTimestamp();
                    if (msg.ExternalId is null || !index.TryGetValue(msg.ExternalId, out var i))
                    {
                        return;
                    }
                    if (Interlocked.Increment(ref counts[(long)i * connections + c]) == 1)
                    {
                        perDelivery.RecordElapsed(Volatile.Read(ref sendTs[i]), now);
                        Interlocked.Increment(ref delivered);
                        long seen;
                        while ((seen = Volatile.Read(ref lastArrival)) < now && Interlocked.CompareExchange(ref lastArrival, now, seen) != seen)
                        {
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref duplicates);
                    }
                });
                Helpers.InboxEvents.HandleOthers(hub, "messageCreated");
                try
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    await hub.StartAsync(cts.Token);
                    hubs[c] = hub;
                    Interlocked.Increment(ref connected);
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
                {
                    await hub.DisposeAsync();
                }
            });
        }

        var sender = new PacedSender(ctx.Http, ctx.Size.HttpConcurrency);
        var firstSend = Stopwatch.GetTimestamp();
        TimeSpan took;
        using (new Progress($"bare fan-out: {rate:0}/s to {connected} connections", duration, () => $"{sender.Sent:N0} sent, {Interlocked.Read(ref delivered):N0} delivered"))
        {
            took = await sender.RunAsync(rate, duration, maxMessages, i =>
            {
                var externalId = $"{ctx.RunTag}-bare-{i}";
                index[externalId] = i;
                Volatile.Write(ref sendTs[i], Stopwatch.GetTimestamp());
                return new HttpRequestMessage(HttpMethod.Post, ctx.BareUrl + "/fanout")
                {
                    Content = JsonContent.Create(new { seq = i, externalId, text = $"Hello! A question about order #{i}: when will it ship, and can I change the address? Thanks." }),
                };
            });
        }
        var sent = sender.Sent;
        var achieved = sent / took.TotalSeconds;
        await sender.DrainAsync(TimeSpan.FromSeconds(30));
        var expected = (long)sent * connected;
        var grace = Stopwatch.StartNew();
        while (Interlocked.Read(ref delivered) < expected && grace.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
        }
        var window = TimeSpan.FromSeconds((Volatile.Read(ref lastArrival) - firstSend) / (double)Stopwatch.Frequency);
        await Parallel.ForEachAsync(hubs.Where(h => h is not null), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (h, _) => await h!.DisposeAsync());
        return new Outcome(perDelivery, achieved, sent, expected, Interlocked.Read(ref delivered), Interlocked.Read(ref duplicates), connected, window);
    }
}
