using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The server the browser talks to stops and a new one starts on the same database: nothing is missed.</summary>
public sealed class RestartBrowserTests(WebAppFixture fx) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task After_a_server_restart_the_browser_reconnects_and_shows_what_arrived_meanwhile()
    {
        using var callback = WireMockServer.Start();
        callback.Given(Request.Create().WithPath("/cb").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var channel = await fx.CreateApiChannelAsync(callback.Url + "/cb", "Restart " + suffix);
        var manager = await fx.CreateUserAsync("mgr" + suffix, "manager", channel.Id);
        var first = await fx.IngestAsync(channel, "ext-1-" + suffix, "cust-1-" + suffix, "Before the restart", "Nora");

        var settings = new Dictionary<string, string?> { ["webroot"] = WebAppFixture.WebRoot };
        var before = new AppNode(fx.Postgres, null, settings);
        await using var proxy = new SwitchableProxy(before.BaseAddress.Port);
        var page = await fx.NewPageAsync();
        try
        {
            await page.GotoAsync($"http://127.0.0.1:{proxy.Port}/");
            await page.GetByLabel("Email").FillAsync(manager.Email);
            await page.GetByLabel("Password").FillAsync("password-1234");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.Locator($"[data-conversation-id='{first["conversationId"]}']").ClickAsync();
            await Expect(page.Locator(".message.inbound")).ToContainTextAsync("Before the restart");
            await page.WaitForFunctionAsync("() => window.__cc && window.__cc.hub.status.state === 'connected'");

            // The server goes away (graceful stop closes the hub), and nothing answers at its address for a while.
            proxy.TargetPort = 0;
            await before.DisposeAsync();
            proxy.CutAll();
            await Expect(page.GetByTestId("reconnecting")).ToBeVisibleAsync();
            await fx.IngestAsync(channel, "ext-2-" + suffix, "cust-1-" + suffix, "While you were restarting", "Nora");
            var other = await fx.IngestAsync(channel, "ext-3-" + suffix, "cust-2-" + suffix, "A new customer meanwhile", "Omar");

            await using var after = new AppNode(fx.Postgres, null, settings);
            proxy.TargetPort = after.BaseAddress.Port;
            await Expect(page.GetByTestId("reconnecting")).ToHaveCountAsync(0, new() { Timeout = 45_000 });
            await Expect(page.Locator(".message.inbound").Filter(new() { HasText = "While you were restarting" })).ToBeVisibleAsync();
            await Expect(page.Locator($"[data-conversation-id='{other["conversationId"]}']").GetByTestId("unread-badge")).ToHaveTextAsync("1");

            // The new server pushes live to the reconnected browser.
            var body = AppFixture.InboundBody("ext-4-" + suffix, "cust-1-" + suffix, "Live from the new server", "Nora");
            await fx.PostInboundAsync(channel, body, node: after);
            await Expect(page.Locator(".message.inbound").Filter(new() { HasText = "Live from the new server" })).ToBeVisibleAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
            await before.DisposeAsync();
        }
    }
}
