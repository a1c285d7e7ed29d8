using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Benchmarks.Helpers;

/// <summary>
/// The server-to-client events of `/hubs/inbox` (IInboxClient; the bench does not reference the app). A manager's screen
/// handles every one it gets (the web app does), so the bench's clients do too, doing nothing with those a scenario does
/// not time: for the app and the bare hub alike (a client with no handler for an event pays a failed argument binding
/// for each one it receives, a cost no real client has).
/// </summary>
public static class InboxEvents
{
    private static readonly string[] Names =
    [
        "messageCreated", "messageUpdated", "conversationUpdated", "conversationRemoved", "countersChanged", "typing", "activityDue",
        "queueChanged", "slaBreached", "dealUpdated", "leadUpdated", "notification", "importProgress", "notificationsRead",
        "dealRemoved", "leadRemoved", "resync",
    ];

    /// <summary>A no-op handler for every event but <paramref name="timed"/> (which the caller handles).</summary>
    public static void HandleOthers(HubConnection connection, string timed)
    {
        foreach (var name in Names.Where(n => n != timed))
        {
            connection.On<JsonElement>(name, _ => { });
        }
    }
}
