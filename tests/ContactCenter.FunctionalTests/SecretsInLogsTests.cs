using System.Net.Http.Json;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace ContactCenter.FunctionalTests;

/// <summary>On an empty database: the migrations' start-up logs are among those checked.</summary>
public sealed class VerboseLogFixture : EmptyDatabaseFixture
{
    public LogSink Logs { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings() => VerboseLogs.Settings(base.ExtraSettings());

    protected override void ConfigureServices(IServiceCollection services) => VerboseLogs.Into(services, Logs);
}

/// <summary>No secret — channel secrets, passwords, access tokens (also as the hubs' query string), the JWT key — is ever logged.</summary>
public sealed class SecretsInLogsTests(VerboseLogFixture fixture) : IClassFixture<VerboseLogFixture>
{
    [Fact]
    public async Task A_day_of_work_at_trace_level_logs_no_secret()
    {
        await fixture.ResetAsync();
        var channel = await fixture.CreateApiChannelAsync("http://127.0.0.1:9/unreachable");
        var manager = await fixture.CreateUserAsync("leaky", "manager", channel.Id);
        var conversation = (await fixture.IngestAsync(channel, "s-1", "cust", "hello"))["conversationId"]!.GetValue<long>();
        await fixture.PostInboundAsync(channel, AppFixture.InboundBody("s-2", "cust", "bad"), "sha256=00");
        await using (var hub = await fixture.ConnectHubAsync(manager.Token))
        {
            await hub.InvokeAsync("MarkRead", conversation, (long?)null);
        }
        using (var http = fixture.App.Http(manager.Token))
        {
            (await http.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "reply to an unreachable callback" })).EnsureSuccessStatusCode();
        }
        using (var anonymous = fixture.App.Http())
        {
            // What the browser client does: the token rides in the query string of the hub's requests.
            var negotiate = await anonymous.PostAsync($"/hubs/inbox/negotiate?negotiateVersion=1&access_token={manager.Token}", null);
            negotiate.EnsureSuccessStatusCode();
            await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "leaky@test.local", password = "wrong-password-123" });
        }
        // The outbox tried (and logged) the unreachable callback: the attempt's outcome is recorded after its log lines.
        await HttpJson.EventuallyAsync(async () => await fixture.CountAsync("outbox where last_error is not null") > 0,
            "the outbox's failed attempt at the unreachable callback", TimeSpan.FromSeconds(30));

        var logs = string.Join("\n", fixture.Logs.Lines);
        Assert.True(fixture.Logs.Lines.Count > 50, "The sink captured too little to prove anything.");
        Assert.Contains("/hubs/inbox", logs); // the hub request was logged, so its query string was there to leak
        foreach (var secret in new[] { channel.Secret, "password-1234", "wrong-password-123", manager.Token, fixture.AdminToken, TestKeys.JwtKey })
        {
            Assert.DoesNotContain(secret, logs);
        }
    }

    [Fact]
    public async Task A_hub_call_refused_to_a_signed_in_user_is_not_an_error_in_the_log()
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Refusals " + Guid.NewGuid().ToString("N")[..6]);
        var outsider = await fixture.CreateUserAsync("refused-" + Guid.NewGuid().ToString("N")[..8], "manager");
        var conversation = (await fixture.IngestAsync(channel, "r-" + Guid.NewGuid().ToString("N")[..8], "cust", "hello"))["conversationId"]!.GetValue<long>();
        await using var hub = await fixture.ConnectHubAsync(outsider.Token);

        for (var i = 0; i < 3; i++)
        {
            var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync("MarkRead", conversation, (long?)null));
            Assert.Contains("no such conversation", refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        // Each refusal was logged, at Debug (the filter saw it), and none as an error (SignalR's own Error with a stack trace).
        var lines = fixture.Logs.Lines.ToList();
        Assert.True(lines.Count(l => l.StartsWith("Debug", StringComparison.Ordinal) && l.Contains("Hub method MarkRead refused", StringComparison.Ordinal)) >= 3,
            "the refusals are logged at Debug");
        Assert.DoesNotContain(lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("MarkRead", StringComparison.Ordinal));
    }
}
