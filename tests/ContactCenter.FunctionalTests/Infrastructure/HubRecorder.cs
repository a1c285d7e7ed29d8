using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// Records every event a hub connection receives, and waits for the ones a test expects. `countersChanged` is recorded
/// as the counters it leads to (<see cref="CountersFold"/>).
/// </summary>
public sealed class HubRecorder
{
    public static readonly string[] Events =
        ["messageCreated", "messageUpdated", "conversationUpdated", "conversationRemoved", "countersChanged", "typing", "resync",
         "queueChanged", "slaBreached", "activityDue", "read", "notification", "importProgress", "notificationsRead", "leadUpdated", "dealUpdated", "leadRemoved", "dealRemoved"];

    private readonly ConcurrentQueue<(string Event, JsonObject Payload)> received = new();
    private readonly SemaphoreSlim signal = new(0);

    private readonly CountersFold counters;

    public HubRecorder(HubConnection connection)
    {
        counters = new CountersFold(connection);
        connection.On<JsonElement>("countersChanged", async payload =>
        {
            if (await counters.ApplyAsync(JsonNode.Parse(payload.GetRawText())!.AsObject()) is { } value)
            {
                received.Enqueue(("countersChanged", value.DeepClone().AsObject()));
                signal.Release();
            }
        });
        foreach (var name in Events.Where(e => e != "countersChanged"))
        {
            connection.On<JsonElement>(name, payload =>
            {
                received.Enqueue((name, JsonNode.Parse(payload.GetRawText())!.AsObject()));
                signal.Release();
            });
        }
    }

    public IReadOnlyList<(string Event, JsonObject Payload)> All => received.ToList();

    /// <summary>How `countersChanged` steps were followed: added to the value held, or gaps that made it re-read.</summary>
    public (int Added, int Gaps) CounterSteps => (counters.Added, counters.Gaps);

    public IEnumerable<JsonObject> Of(string name) => received.Where(e => e.Event == name).Select(e => e.Payload);

    /// <summary>Waits until an event of this name matching the predicate has arrived; fails after the timeout.</summary>
    public async Task<JsonObject> WaitForAsync(string name, Func<JsonObject, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = Of(name).FirstOrDefault(p => match?.Invoke(p) ?? true);
            if (found is not null)
            {
                return found;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No '{name}' event arrived in time. Received: {string.Join(", ", received.Select(e => e.Event))}"
                    + (counters.Gaps > 0 ? $"; {counters.Gaps} countersChanged steps continued a version this recorder did not hold" : ""));
            }
            await signal.WaitAsync(left);
        }
    }
}
