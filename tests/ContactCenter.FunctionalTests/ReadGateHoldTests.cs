using System.Net;
using ContactCenter.Api.Infrastructure;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// A read stuck off the CPU (here on a table lock, as a migration or an administrator's LOCK TABLE would hold it) gives its
/// place at the gate back after <c>RateLimits:ReadHoldLimitMs</c>, so the node's other screen reads queued behind it are
/// answered meanwhile (the outside review of session 38: one stuck read held every screen of the node).
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

            await stuck.ReleaseAsync();
            // The stuck read itself still answers, once the lock goes.
            Assert.Single((await (await stuck.Read).OkJsonAsync())["items"]!.AsArray());
        }

        // The stuck read's place was given back once, not twice (at its limit and again when it ended): one place, free.
        Assert.Equal(1, fixture.App.Services.GetRequiredService<ReadGates>().FreePlaces(ReadGates.Screens));
    }
}
