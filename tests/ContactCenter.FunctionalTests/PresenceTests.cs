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
}
