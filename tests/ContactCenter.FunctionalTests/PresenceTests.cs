using ContactCenter.Api.Features.Routing;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Who is online, answered by Redis in one script call per 500 users (the live queue asks for every active account,
/// routing for a channel's members): the same answer as one question per user.
/// </summary>
public sealed class PresenceTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Online_is_every_connected_user_who_is_not_away_across_several_script_calls()
    {
        var presence = fixture.App.Services.GetRequiredService<PresenceTracker>();
        // Ids no account has, so nothing else in the run touches their presence; more than two calls' worth.
        var first = 9_000_000_000L + Random.Shared.Next(1_000_000) * 10_000L;
        var users = Enumerable.Range(0, 1_234).Select(i => first + i).ToList();
        var expected = new HashSet<long>();
        foreach (var (id, i) in users.Select((id, i) => (id, i)))
        {
            if (i % 3 == 0)
            {
                await presence.ConnectedAsync(id, $"conn-{id}-a");
                if (i % 9 == 0)
                {
                    await presence.ConnectedAsync(id, $"conn-{id}-b"); // two tabs
                }
                if (i % 6 == 0)
                {
                    await presence.SetAwayAsync(id, away: true);
                }
                else if (i % 15 == 0)
                {
                    await presence.DisconnectedAsync(id, $"conn-{id}-a"); // every tab closed
                    await presence.DisconnectedAsync(id, $"conn-{id}-b");
                }
                else
                {
                    expected.Add(id);
                }
            }
        }
        try
        {
            var online = await presence.OnlineAsync(users);
            Assert.Equal(expected.Order(), online.Order());
            Assert.Empty(await presence.OnlineAsync([]));
            Assert.Equal([users[3]], (await presence.OnlineAsync([users[3], users[4]])).ToList());
        }
        finally
        {
            foreach (var id in users.Where((_, i) => i % 3 == 0))
            {
                await presence.DisconnectedAsync(id, $"conn-{id}-a");
                await presence.DisconnectedAsync(id, $"conn-{id}-b");
                await presence.SetAwayAsync(id, away: false);
            }
        }
    }

    [Fact]
    public async Task Only_a_users_first_connection_on_the_node_comes_online_and_only_the_last_goes_offline_even_when_tabs_open_at_once()
    {
        var presence = fixture.App.Services.GetRequiredService<PresenceTracker>();
        var user = 9_100_000_000L + Random.Shared.Next(1_000_000);
        var tabs = Enumerable.Range(0, 50).Select(i => $"tab-{user}-{i}").ToList();
        try
        {
            // 50 tabs reconnecting at once (a node restarted): exactly one of them is the user coming online.
            var firsts = await Task.WhenAll(tabs.Select(tab => Task.Run(() => presence.ConnectedAsync(user, tab))));
            Assert.Single(firsts, f => f);
            Assert.False(await presence.ConnectedAsync(user, tabs[0])); // the same connection again counts once

            // Tabs close, some at once, one of them twice; while any is open, a new one is not a coming online.
            var lasts = await Task.WhenAll(tabs.Skip(1).Select(tab => Task.Run(() => presence.DisconnectedAsync(user, tab))));
            Assert.DoesNotContain(true, lasts);
            Assert.False(await presence.DisconnectedAsync(user, tabs[1])); // closed already
            Assert.False(await presence.ConnectedAsync(user, "late-tab"));
            Assert.False(await presence.DisconnectedAsync(user, "late-tab"));
            Assert.Equal([user], await presence.OnlineAsync([user]));

            // The last one closes: the next connection is coming online again.
            Assert.True(await presence.DisconnectedAsync(user, tabs[0]));
            Assert.Empty(await presence.OnlineAsync([user]));
            Assert.True(await presence.ConnectedAsync(user, "next-day"));
            await presence.DisconnectedAsync(user, "next-day");
        }
        finally
        {
            foreach (var tab in tabs)
            {
                await presence.DisconnectedAsync(user, tab);
            }
        }
    }
}
