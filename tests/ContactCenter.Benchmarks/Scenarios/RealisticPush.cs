using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Benchmarks.Infrastructure;
using ContactCenter.Connectors.Api;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3b, the push as a sales floor sees it (issue #19): the managers split into channels of 50, 80 % of the
/// conversations assigned, so a message goes to its assignee and the supervisors, or (unassigned) to the channel's
/// members and the supervisors; inbound at half the max ingest rate. Each person's messageCreated is timed from the
/// webhook send; a delivery to someone outside the message's audience is counted, as is one missing or doubled.
/// </summary>
public static class RealisticPush
{
    private const string Scenario = "3 push";
    private const string Secret = "bench-api-secret-0123456789";
    private const int PerChannel = 50;
    private const int Supervisors = 2;

    private sealed record Customer(int Channel, int Number, long ChannelId, int? Assignee);

    public static async Task RunAsync(BenchContext ctx)
    {
        await ctx.EnsureAppAsync();
        var channels = Math.Max(2, ctx.Size.Managers / PerChannel);
        var perChannel = Math.Max(2, ctx.Size.Managers / channels);
        var managers = channels * perChannel;
        var recipients = managers + Supervisors;

        // People: channel c's members are recipients c*perChannel .. c*perChannel+perChannel-1; the supervisors come last.
        var channelIds = new long[channels];
        var users = new List<BenchDb.User>(recipients);
        using (new Progress($"realistic push: {channels} channels of {perChannel} managers", null, () => $"{users.Count}/{recipients}"))
        {
            for (var c = 0; c < channels; c++)
            {
                channelIds[c] = await ctx.Admin!.CreateChannelAsync("api", $"Bench realistic {c + 1} ({ctx.RunTag})", new JsonObject { ["secret"] = Secret });
                users.AddRange(await ctx.AppDb.CreateUsersAsync($"{ctx.RunTag}-real{c}", perChannel, "manager", channelIds[c]));
            }
            users.AddRange(await ctx.AppDb.CreateUsersAsync($"{ctx.RunTag}-realsup", Supervisors, "supervisor", null));
        }

        // Customers: one conversation each (their first message), then 4 in 5 assigned to a member of their channel.
        var customers = new List<Customer>(managers);
        for (var c = 0; c < channels; c++)
        {
            for (var k = 0; k < perChannel; k++)
            {
                customers.Add(new Customer(c, k, channelIds[c], k % 5 == 4 ? null : c * perChannel + (k * 7 % perChannel)));
            }
        }
        var conversationOf = new ConcurrentDictionary<Customer, long>();
        using (new Progress($"realistic push: {customers.Count} customers write first", null, () => $"{conversationOf.Count}/{customers.Count}"))
        {
            await Parallel.ForEachAsync(customers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (customer, _) =>
            {
                using var response = await ctx.Http.SendAsync(Request(ctx, customer, $"{ctx.RunTag}-real-first-{customer.Channel}-{customer.Number}", "Hello"));
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                conversationOf[customer] = body?["conversationId"]?.GetValue<long>()
                    ?? throw new InvalidOperationException($"The first message answered {(int)response.StatusCode}: {body}");
            });
        }
        var assigned = customers.Where(c => c.Assignee is not null).ToList();
        await ctx.AppDb.ExecuteAsync("update conversations c set assignee_id = a.user_id from unnest($1::bigint[], $2::bigint[]) as a(id, user_id) where c.id = a.id",
            assigned.Select(c => conversationOf[c]).ToArray(), assigned.Select(c => users[c.Assignee!.Value].Id).ToArray());
        await ctx.AppDb.ExecuteAsync("analyze conversations");

        var rate = double.IsNaN(ctx.IngestRate) ? 50 : Math.Max(1, ctx.IngestRate / 2);
        var duration = ctx.Size.Push;
        var maxMessages = (int)(rate * duration.TotalSeconds * 1.2) + 16;
        var sendTs = new long[maxMessages];
        // When each webhook was answered (stored): the tail is split into "until stored" and "stored -> delivered".
        var answeredTs = new long[maxMessages];
        var untilStored = new Latency();
        var afterStored = new Latency();
        var sentTo = new Customer?[maxMessages];
        var counts = new int[(long)maxMessages * recipients];
        var index = new ConcurrentDictionary<string, int>();
        var perDelivery = new Latency();
        long delivered = 0, duplicates = 0, outside = 0;

        bool InAudience(Customer customer, int r) => r >= managers
            || (customer.Assignee is { } a ? r == a : r / perChannel == customer.Channel);

        var hubs = new HubConnection?[recipients];
        var connected = 0;
        var tokens = BenchDb.Tokens(users);
        using (new Progress($"realistic push: {recipients} people connect", null, () => $"{Volatile.Read(ref connected)}/{recipients}"))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, recipients), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (r, _) =>
            {
                var hub = new HubConnectionBuilder()
                    .WithUrl(ctx.NodeA!.BaseUrl + "/hubs/inbox", o =>
                    {
                        o.Transports = HttpTransportType.WebSockets;
                        o.SkipNegotiation = true;
                        o.AccessTokenProvider = () => Task.FromResult<string?>(tokens[r]);
                    })
                    .Build();
                hub.ServerTimeout = TimeSpan.FromMinutes(5);
                Helpers.InboxEvents.HandleOthers(hub, "messageCreated");
                hub.On<PushLatency.MessageLite>("messageCreated", msg =>
                {
                    var now = Stopwatch.GetTimestamp();
                    if (msg.ExternalId is null || !index.TryGetValue(msg.ExternalId, out var i))
                    {
                        return;
                    }
                    if (!InAudience(Volatile.Read(ref sentTo[i])!, r))
                    {
                        Interlocked.Increment(ref outside);
                    }
                    else if (Interlocked.Increment(ref counts[(long)i * recipients + r]) == 1)
                    {
                        perDelivery.RecordElapsed(Volatile.Read(ref sendTs[i]), now);
                        // A push can reach a client before the webhook's answer reaches the sender (both follow the commit).
                        var stored = Volatile.Read(ref answeredTs[i]);
                        afterStored.RecordElapsed(stored == 0 ? now : Math.Min(stored, now), now);
                        Interlocked.Increment(ref delivered);
                    }
                    else
                    {
                        Interlocked.Increment(ref duplicates);
                    }
                });
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await hub.StartAsync(cts.Token);
                hubs[r] = hub;
                Interlocked.Increment(ref connected);
            });
        }

        var sender = new PacedSender(ctx.Http, ctx.Size.HttpConcurrency);
        long expected = 0;
        var cpu = new CpuWindow([ctx.NodeA!.Pid], ctx.PostmasterPid);
        TimeSpan took;
        using (new Progress($"realistic push: {rate:0}/s", duration, () => $"{sender.Sent:N0} sent, {Interlocked.Read(ref delivered):N0} delivered, p99 {Fmt.Ms(perDelivery.PercentileMs(99))}"))
        {
            took = await sender.RunAsync(rate, duration, maxMessages, i =>
            {
                var customer = customers[Random.Shared.Next(customers.Count)];
                var externalId = $"{ctx.RunTag}-real-{i}";
                sentTo[i] = customer;
                index[externalId] = i;
                expected += customer.Assignee is null ? perChannel + Supervisors : 1 + Supervisors;
                Volatile.Write(ref sendTs[i], Stopwatch.GetTimestamp());
                return Request(ctx, customer, externalId, $"A question about order #{i}: when will it ship?");
            }, (i, ok) =>
            {
                if (ok)
                {
                    var now = Stopwatch.GetTimestamp();
                    Volatile.Write(ref answeredTs[i], now);
                    untilStored.RecordElapsed(Volatile.Read(ref sendTs[i]), now);
                }
            });
        }
        var sent = sender.Sent;
        var failed = sender.Failed;
        var achieved = sent / took.TotalSeconds;
        await sender.DrainAsync(TimeSpan.FromSeconds(30));
        var grace = Stopwatch.StartNew();
        while (Interlocked.Read(ref delivered) < expected && grace.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
        }
        var usage = cpu.Stop();
        await Parallel.ForEachAsync(hubs.Where(h => h is not null), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (h, _) => await h!.DisposeAsync());
        await ctx.AppDb.ExecuteAsync("update conversations set status = 'resolved', resolved_at = now(), waiting_since = null where channel_id = any($1)", channelIds);

        var p99 = perDelivery.PercentileMs(99);
        var missing = Math.Max(0, expected - Interlocked.Read(ref delivered));
        ctx.Report.Add(new Row(Scenario,
            $"Push latency, realistic audience: webhook -> messageCreated of each person who sees it ({managers} managers in {channels} channels of {perChannel}, "
            + $"80 % assigned, {Supervisors} supervisors)",
            $"p50 {Fmt.Ms(perDelivery.PercentileMs(50))}, p99 {Fmt.Ms(p99)}, max {Fmt.Ms(perDelivery.MaxMs)}", Goal: "p99 <= 50 ms",
            Met: perDelivery.Count == 0 ? null : p99 <= 50,
            Note: $"inbound at {achieved:0.0} msg/s (target {rate:0.0} = half the max ingest rate); audience = the assignee and the supervisors, or for an "
                + $"unassigned conversation the channel's {perChannel} members and the supervisors; {perDelivery.Count:N0} deliveries; "
                + $"{connected} of {recipients} connected; app CPU {usage.AppSeconds * 1000 / Math.Max(1, sent):0.0} ms per message; "
                + $"split: webhook until answered (stored) p50 {Fmt.Ms(untilStored.PercentileMs(50))}, p99 {Fmt.Ms(untilStored.PercentileMs(99))}; "
                + $"answered -> delivered p50 {Fmt.Ms(afterStored.PercentileMs(50))}, p99 {Fmt.Ms(afterStored.PercentileMs(99))}")
        { Number = p99 });
        ctx.Report.Add(new Row(Scenario, "Push, realistic audience: missing / duplicate / outside the audience",
            $"{missing:N0} / {Interlocked.Read(ref duplicates):N0} / {Interlocked.Read(ref outside):N0}", Goal: "0 / 0 / 0",
            Met: missing == 0 && duplicates == 0 && outside == 0,
            Note: $"{expected:N0} expected deliveries for {sent:N0} messages{(failed > 0 ? $"; {failed} requests failed or timed out on the client" : "")}")
        { Number = missing + duplicates + outside });
    }

    private static HttpRequestMessage Request(BenchContext ctx, Customer customer, string externalId, string text)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            externalId,
            contact = new { externalId = $"{ctx.RunTag}-real-customer-{customer.Channel}-{customer.Number}", name = $"Customer {customer.Channel}-{customer.Number}" },
            text,
        }, JsonSerializerOptions.Web);
        var request = new HttpRequestMessage(HttpMethod.Post, $"{ctx.NodeA!.BaseUrl}/api/inbound/{customer.ChannelId}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(ApiSignature.Header, ApiSignature.Compute(Secret, body));
        return request;
    }
}
