using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>Records every event a hub connection receives, and waits for the ones a test expects.</summary>
public sealed class HubRecorder
{
    public static readonly string[] Events =
        ["messageCreated", "messageUpdated", "conversationUpdated", "conversationRemoved", "countersChanged", "typing", "resync",
         "queueChanged", "slaBreached", "activityDue", "read", "notification", "importProgress", "notificationsRead", "leadUpdated", "dealUpdated"];

    private readonly ConcurrentQueue<(string Event, JsonObject Payload)> received = new();
    private readonly SemaphoreSlim signal = new(0);

    public HubRecorder(HubConnection connection)
    {
        foreach (var name in Events)
        {
            connection.On<JsonElement>(name, payload =>
            {
                received.Enqueue((name, JsonNode.Parse(payload.GetRawText())!.AsObject()));
                signal.Release();
            });
        }
    }

    public IReadOnlyList<(string Event, JsonObject Payload)> All => received.ToList();

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
                throw new TimeoutException($"No '{name}' event arrived in time. Received: {string.Join(", ", received.Select(e => e.Event))}");
            }
            await signal.WaitAsync(left);
        }
    }
}
