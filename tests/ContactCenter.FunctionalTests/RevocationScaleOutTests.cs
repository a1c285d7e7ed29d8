using System.Net;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>Two nodes over one PostgreSQL and one Redis: revoking a user closes their hub connections and refuses their tokens on both.</summary>
public sealed class RevocationScaleOutTests : IAsyncLifetime
{
    private readonly AppFixture fixture = new();
    private AppNode nodeB = null!;

    public async Task InitializeAsync()
    {
        await fixture.InitializeAsync();
        var prefix = fixture.App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Realtime:ChannelPrefix"];
        nodeB = new AppNode(fixture.Postgres, TestEnvironment.Redis, new Dictionary<string, string?> { ["Realtime:ChannelPrefix"] = prefix });
    }

    public async Task DisposeAsync()
    {
        await nodeB.DisposeAsync();
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task Deactivating_a_user_on_node_A_closes_their_hubs_and_refuses_their_token_on_both_nodes_within_5_seconds()
    {
        var user = await fixture.CreateUserAsync("leaver", "manager");
        var bystander = await fixture.CreateUserAsync("stayer", "manager");
        // Warm both nodes' caches with the valid token first, so a stale cache entry would show.
        (await fixture.App.Http(user.Token).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        (await nodeB.Http(user.Token).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        await using var onA = await fixture.ConnectHubAsync(user.Token);
        await using var onB = await fixture.ConnectHubAsync(user.Token, nodeB);
        await using var bystanderOnB = await fixture.ConnectHubAsync(bystander.Token, nodeB);
        var closedA = Closed(onA);
        var closedB = Closed(onB);

        var response = await fixture.App.Http(fixture.AdminToken).PatchJsonAsync($"/api/users/{user.Id}", new { isActive = false });
        await response.OkJsonAsync();

        var both = Task.WhenAll(closedA, closedB);
        Assert.Same(both, await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(5))));
        await (await nodeB.Http(user.Token).GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await fixture.App.Http(user.Token).GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.ConnectHubAsync(user.Token, nodeB));
        Assert.Equal(HubConnectionState.Connected, bystanderOnB.State);
        await bystanderOnB.InvokeAsync("Ready");
    }

    [Fact]
    public async Task A_revocation_whose_announcement_never_arrives_still_closes_the_hub_on_the_sweep()
    {
        var user = await fixture.CreateUserAsync("unannounced", "supervisor");
        await using var onB = await fixture.ConnectHubAsync(user.Token, nodeB);
        var closedB = Closed(onB);

        // The stamp changes in the database with no Redis announcement (as when Redis is away at the moment of a demotion).
        await using (var db = fixture.Db())
        {
            await Dapper.SqlMapper.ExecuteAsync(db, "update users set security_stamp = security_stamp + 1 where id = @id", new { id = user.Id });
        }

        var limit = Api.Auth.SessionSweep.Interval * 2 + TimeSpan.FromSeconds(2);
        Assert.Same(closedB, await Task.WhenAny(closedB, Task.Delay(limit)));
    }

    [Fact]
    public async Task Logout_all_on_node_B_closes_the_callers_hub_on_node_A()
    {
        var user = await fixture.CreateUserAsync("traveller", "manager");
        (await fixture.App.Http(user.Token).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        await using var onA = await fixture.ConnectHubAsync(user.Token);
        var closedA = Closed(onA);

        Assert.Equal(HttpStatusCode.NoContent, (await nodeB.Http(user.Token).PostAsync("/api/auth/logout-all", null)).StatusCode);

        Assert.Same(closedA, await Task.WhenAny(closedA, Task.Delay(TimeSpan.FromSeconds(5))));
        await (await fixture.App.Http(user.Token).GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static Task Closed(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }
}
