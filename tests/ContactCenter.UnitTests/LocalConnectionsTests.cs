using ContactCenter.Api.Realtime;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContactCenter.UnitTests;

/// <summary>
/// The app's own hub connections and groups (in place of SignalR's in-memory manager): a group goes when its last
/// connection leaves (the web chat has one per visitor, so kept groups would grow for good), and joining while others
/// leave never loses a member.
/// </summary>
public sealed class LocalConnectionsTests
{
    [Fact]
    public void A_group_is_dropped_when_its_last_connection_leaves_or_disconnects()
    {
        var local = new LocalConnections();
        var (a, b, c) = (Connection("a"), Connection("b"), Connection("c"));
        foreach (var connection in new[] { a, b, c })
        {
            local.Connected(connection);
        }
        local.Add("a", "user:1");
        local.Add("b", "user:1");
        local.Add("c", "visitor:7");
        local.Add("a", "staff");
        Assert.Equal(3, local.GroupCount);
        Assert.Equal(2, local.CountIn("user:1"));

        local.Remove("a", "user:1");
        Assert.Equal(1, local.CountIn("user:1"));
        local.Disconnected(b);
        local.Disconnected(c);
        Assert.Equal(1, local.GroupCount);
        local.Disconnected(a);

        Assert.Equal(0, local.GroupCount);
        // A connection already gone joins nothing.
        local.Add("c", "visitor:7");
        Assert.Equal(0, local.GroupCount);
    }

    [Fact]
    public async Task Connections_joining_a_group_while_others_leave_it_are_all_in_it_afterwards()
    {
        var local = new LocalConnections();
        for (var round = 0; round < 200; round++)
        {
            var stayers = Enumerable.Range(0, 8).Select(i => Connection($"s{round}-{i}")).ToList();
            var leavers = Enumerable.Range(0, 8).Select(i => Connection($"l{round}-{i}")).ToList();
            foreach (var connection in stayers.Concat(leavers))
            {
                local.Connected(connection);
            }
            foreach (var connection in leavers)
            {
                local.Add(connection.ConnectionId, "busy");
            }

            // Leavers empty the group (each leave may drop it) while stayers join it.
            await Task.WhenAll(leavers.Select(l => Task.Run(() => local.Disconnected(l)))
                .Concat(stayers.Select(s => Task.Run(() => local.Add(s.ConnectionId, "busy")))));

            Assert.Equal(stayers.Count, local.CountIn("busy"));
            foreach (var connection in stayers)
            {
                local.Disconnected(connection);
            }
            Assert.Equal(0, local.GroupCount);
        }
    }

    private static HubConnectionContext Connection(string id) =>
        new(new DefaultConnectionContext(id), new HubConnectionContextOptions { KeepAliveInterval = TimeSpan.FromSeconds(15), ClientTimeoutInterval = TimeSpan.FromSeconds(30) }, NullLoggerFactory.Instance);
}
