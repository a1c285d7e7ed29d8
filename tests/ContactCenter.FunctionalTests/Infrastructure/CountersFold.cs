using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// Follows `countersChanged` steps the way the web app does (src/lib/countersChain.ts): whole values when a step has
/// no `from`, a step added to the value it continues, older steps ignored. A step that continues a version it does
/// not hold is a gap: it re-reads GET /api/counters as the connection's user (<see cref="Register"/>, done by
/// AppFixture.ConnectHubAsync). Recorders keep the folded values, so tests assert counters, not differences.
/// </summary>
public sealed class CountersFold(HubConnection connection)
{
    private static readonly ConditionalWeakTable<HubConnection, Func<Task<JsonObject>>> Readers = new();

    /// <summary>Where a fold on <paramref name="hub"/> re-reads its user's counters after a gap.</summary>
    public static void Register(HubConnection hub, Uri baseAddress, string token) =>
        Readers.AddOrUpdate(hub, async () =>
        {
            using var http = new HttpClient { BaseAddress = baseAddress };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return (await http.GetFromJsonAsync<JsonObject>("/api/counters"))!;
        });

    private static readonly string[] Fields =
        ["unreadConversations", "unreadMessages", "mine", "unassigned", "overdueActivities", "activitiesDueToday", "dealsWithoutActivity"];

    public JsonObject? Current { get; private set; }

    public int Gaps { get; private set; }

    /// <summary>Steps added to the value held (not whole values, not re-reads).</summary>
    public int Added { get; private set; }

    /// <summary>The values after this step, or null when it changed nothing the fold knows.</summary>
    public async Task<JsonObject?> ApplyAsync(JsonObject change)
    {
        var version = change["version"]!.GetValue<string>();
        var from = change["from"]?.GetValue<string>();
        if (Current is not null && string.CompareOrdinal(version, Current["version"]!.GetValue<string>()) <= 0)
        {
            return null;
        }
        var changes = change["changes"]!.AsObject();
        if (from is null || from == Current?["version"]?.GetValue<string>())
        {
            if (from is not null)
            {
                Added++;
            }
            var next = new JsonObject { ["version"] = version };
            foreach (var field in Fields)
            {
                next[field] = (from is null ? 0 : Current![field]!.GetValue<long>()) + changes[field]!.GetValue<long>();
            }
            return Current = next;
        }
        Gaps++;
        if (!Readers.TryGetValue(connection, out var read))
        {
            return null;
        }
        var fresh = await read();
        if (Current is not null && string.CompareOrdinal(fresh["version"]!.GetValue<string>(), Current["version"]!.GetValue<string>()) <= 0)
        {
            return null;
        }
        return Current = fresh;
    }
}
