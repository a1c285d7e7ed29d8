using System.Net;
using ContactCenter.Api.Infrastructure;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// A read stuck off the CPU (here on a table lock, as a migration or an administrator's LOCK TABLE would hold it) gives its
/// place at the gate back after <c>RateLimits:ReadHoldLimitMs</c>, so the node's other screen reads queued behind it are
/// answered meanwhile (the outside review of session 38: one stuck read held every screen of the node), but no more reads
/// run outside the gate than it has places (session 39's review: a whole locked table moved every stuck read onto the
/// database pool).
/// </summary>
public sealed class ReadGateHoldTests(ReadGateHoldTests.ShortHoldFixture fixture) : IClassFixture<ReadGateHoldTests.ShortHoldFixture>, IAsyncLifetime
{
    public sealed class ShortHoldFixture : AppFixture
    {
        protected override IDictionary<string, string?> ExtraSettings()
        {
            var settings = base.ExtraSettings();
            settings["RateLimits:ConcurrentReads"] = "1";
            settings["RateLimits:QueuedReads"] = "10";
            settings["RateLimits:ReadHoldLimitMs"] = "300";
            return settings;
        }
    }

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_read_stuck_on_a_lock_gives_its_place_back_after_the_hold_limit_and_the_reads_behind_it_are_answered()
    {
        var (http, token, id) = await StuckInboxRead.ManagerAsync(fixture, "hold");
        using var client = http;
        await using (var stuck = await StuckInboxRead.StartAsync(fixture, http))
        {
            // The gate lets one read in at a time: these are answered only once the stuck read gave its place back.
            using var behind = fixture.App.Http(token);
            behind.Timeout = TimeSpan.FromSeconds(10);
            for (var i = 0; i < 3; i++)
            {
                using var messages = await behind.GetAsync($"/api/conversations/{id}/messages");
                Assert.Equal(HttpStatusCode.OK, messages.StatusCode);
                using var notifications = await behind.GetAsync("/api/notifications");
                Assert.Equal(HttpStatusCode.OK, notifications.StatusCode);
            }
            Assert.False(stuck.Read.IsCompleted, "the stuck inbox read answered while the test held its lock");
            var gates = fixture.App.Services.GetRequiredService<ReadGates>();
            Assert.Equal((1, 1), gates.State(ReadGates.Screens));

            // A second stuck read takes the place; as many reads as the gate has places (one) already run outside it, so
            // this one keeps its place past the limit: stuck reads do not all move onto the database pool.
            var second = http.GetAsync("/api/conversations?status=open");
            await fixture.UntilAsync(
                "select count(*) - 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and query like 'select c.id, c.status, c.revision%'",
                null, "both inbox reads wait for the test's lock");
            var waiting = behind.GetAsync($"/api/conversations/{id}/messages");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.False(waiting.IsCompleted, "a read was let in while the gate's place was held by a stuck read and one more ran outside it");
            Assert.Equal((0, 1), gates.State(ReadGates.Screens));

            await stuck.ReleaseAsync();
            // The stuck reads themselves still answer, once the lock goes, and the one waiting behind them.
            Assert.Single((await (await stuck.Read).OkJsonAsync())["items"]!.AsArray());
            Assert.Single((await (await second).OkJsonAsync())["items"]!.AsArray());
            using var answered = await waiting;
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        // Each place was given back once, not twice (at the limit and again when the read ended): one place free, none outside.
        Assert.Equal((1, 0), fixture.App.Services.GetRequiredService<ReadGates>().State(ReadGates.Screens));
    }
}
