using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The CRM, supervisor and admin pages call their API.md routes; where the server has none yet they say so.</summary>
public sealed class PagesBrowserTests(WebAppFixture fx) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Each_page_shows_its_data_or_says_plainly_that_the_server_lacks_the_route()
    {
        var page = await fx.NewPageAsync();
        try
        {
            var channel = await fx.CreateApiChannelAsync(null, "Pages " + Guid.NewGuid().ToString("N")[..8]);
            await fx.OpenSignedInAsync(page, "admin@test.local", "admin-password-1", "/admin");

            // Admin: the channel with the inbound URL to copy (routes of the spine).
            await Expect(page.Locator("code").Filter(new() { HasText = $"/api/inbound/{channel.Id}" })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "Deals" }).ClickAsync();
            if (await StatusAsync("/api/pipelines") == HttpStatusCode.NotFound)
            {
                await Expect(page.Locator(".notice.unavailable")).ToContainTextAsync("GET /api/pipelines");
            }
            else
            {
                await Expect(page.Locator(".board .column").First).ToBeVisibleAsync();
            }

            await page.GetByRole(AriaRole.Link, new() { Name = "Supervisor" }).ClickAsync();
            if (await StatusAsync("/api/stats/queue") == HttpStatusCode.NotFound)
            {
                await Expect(page.Locator(".notice.unavailable").First).ToContainTextAsync("GET /api/stats/queue");
            }
            else
            {
                await Expect(page.GetByTestId("queue-waiting")).ToBeVisibleAsync();
            }

            await page.GetByRole(AriaRole.Link, new() { Name = "Activities" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Overdue" })).ToBeVisibleAsync();
            if (await StatusAsync("/api/activities?assignee=me&state=overdue") == HttpStatusCode.NotFound)
            {
                await Expect(page.Locator(".notice.unavailable")).ToContainTextAsync("GET /api/activities");
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_supervisor_sees_the_queue_grow_live_when_a_customer_writes()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var channel = await fx.CreateApiChannelAsync(null, "Queue " + suffix);
        var supervisor = await fx.CreateUserAsync("sup" + suffix, "supervisor");
        var page = await fx.NewPageAsync();
        try
        {
            await fx.OpenSignedInAsync(page, supervisor.Email, path: "/supervisor");
            var waiting = page.GetByTestId("queue-waiting");
            await Expect(waiting).ToBeVisibleAsync();
            var before = int.Parse(await waiting.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

            var ingested = await fx.IngestAsync(channel, "ext-" + suffix, "cust-" + suffix, "Anyone there?", "Queued Quinn");
            await Expect(waiting).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            // The row names the customer (issue #16) and links to the conversation.
            var row = page.Locator($"li[data-conversation-id='{ingested["conversationId"]}']");
            await Expect(row.GetByRole(AriaRole.Link, new() { Name = "Queued Quinn" })).ToHaveAttributeAsync("href", $"/inbox/{ingested["conversationId"]}");
            await Expect(row).ToContainTextAsync("Anyone there?");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task<HttpStatusCode> StatusAsync(string path)
    {
        using var http = fx.App.Http(fx.AdminToken);
        return (await http.GetAsync(path)).StatusCode;
    }
}
