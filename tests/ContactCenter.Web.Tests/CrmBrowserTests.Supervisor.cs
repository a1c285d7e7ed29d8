using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The supervisor's figures: response times per manager and channel, and an SLA breach live in the queue.</summary>
public sealed partial class CrmBrowserTests
{
    [Fact]
    public async Task The_supervisor_sees_response_times_per_manager_and_channel_and_the_chart_of_stored_events()
    {
        var (channel, managerName, manager, supervisor) = await SupervisedChannelAsync("Stats", firstResponseSeconds: 3600);
        var ingested = await Fx.IngestAsync(channel, "ext-" + Suffix, "cust-" + Suffix, "How long is delivery?", "Stan");
        await Task.Delay(1200); // a first response of a second or more
        var reply = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, $"/api/conversations/{ingested["conversationId"]}/messages", new { text = "Three days." }))!;

        // "Today" is the day the server stamped the answer with, for the API and (its clock set to that instant) the
        // browser alike, never the wall clock's: a run that passes midnight between the answer and a read asks for one day.
        var answeredAt = reply["createdAt"]!.GetValue<DateTimeOffset>().UtcDateTime;
        var today = answeredAt.Date;
        var report = (await Fx.ApiAsync(supervisor.Token, HttpMethod.Get,
            $"/api/stats/response-times?from={today:yyyy-MM-dd}T00:00:00Z&to={today.AddDays(1):yyyy-MM-dd}T00:00:00Z"))!;
        var todayMedian = report["overall"]!["firstResponse"]!["median"]!.GetValue<double>();
        // The page's tables ask for the last week up to today 23:59:59, so today is a partial day there, read from the raw
        // events; the whole-day query above reads today from the daily rollup, whose percentiles are within 2.47 % of the raw
        // ones (1.52 s and 1.49 s print as "2s" and "1s": the CI run of 2026-12-03 hit it). The table is checked against the
        // page's own range; the chart below asks per whole day, like the query above.
        var pageReport = (await Fx.ApiAsync(supervisor.Token, HttpMethod.Get,
            $"/api/stats/response-times?from={today.AddDays(-7):yyyy-MM-dd}T00:00:00Z&to={today:yyyy-MM-dd}T23:59:59Z"))!;
        var mine = pageReport["byUser"]!.AsArray().Single(u => u!["name"]!.GetValue<string>() == managerName)!;
        var myMedian = mine["firstResponse"]!["median"]!.GetValue<double>();
        Assert.True(myMedian >= 1, $"first response {myMedian}s");

        await Page.Clock.InstallAsync(new() { TimeDate = answeredAt });
        await Page.Clock.ResumeAsync();
        await Fx.OpenSignedInAsync(Page, supervisor.Email, path: "/supervisor");
        var byManager = Page.Locator("table.stats").Filter(new() { Has = Page.Locator("caption", new() { HasText = "By manager" }) });
        var row = byManager.Locator("tbody tr").Filter(new() { HasText = managerName });
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("1");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(Duration(myMedian));
        await Expect(row.Locator("td").Nth(6)).ToHaveTextAsync("100%");
        var byChannel = Page.Locator("table.stats").Filter(new() { Has = Page.Locator("caption", new() { HasText = "By channel" }) });
        await Expect(byChannel.Locator("tbody tr").Filter(new() { HasText = "Stats " + Suffix }).Locator("td").Nth(6)).ToHaveTextAsync("100%");

        // The chart: one point per UTC day of the last week, today's from the stored events, the days before without any.
        var points = Page.Locator("figure.chart g.point");
        await Expect(points).ToHaveCountAsync(7);
        var todayPoint = Page.Locator($"figure.chart g.point[data-day='{today:yyyy-MM-dd}']");
        await Expect(todayPoint).ToHaveCountAsync(1);
        var plotted = double.Parse((await todayPoint.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        Assert.Equal(todayMedian, plotted, 3);
        Assert.True(double.Parse((await todayPoint.Locator("rect").GetAttributeAsync("height"))!, CultureInfo.InvariantCulture) > 0);
        await Expect(todayPoint).ToContainTextAsync(Duration(todayMedian));
        var yesterday = Page.Locator($"figure.chart g.point[data-day='{today.AddDays(-1):yyyy-MM-dd}']");
        await Expect(yesterday).ToHaveAttributeAsync("data-value", "");
        Assert.Equal("0", await yesterday.Locator("rect").GetAttributeAsync("height"));
    }

    [Fact]
    public async Task The_supervisor_sees_an_SLA_breach_highlighted_live_in_the_queue_and_with_its_assignee_until_it_is_answered()
    {
        // A first-response target of 8 s (room for a loaded machine to list the row before it is due); the fixture scans for breaches every 200 ms.
        var (channel, managerName, manager, supervisor) = await SupervisedChannelAsync("Sla", firstResponseSeconds: 8);
        await Fx.OpenSignedInAsync(Page, supervisor.Email, path: "/supervisor");
        await Expect(Page.GetByTestId("queue-waiting")).ToBeVisibleAsync();

        // Waiting in the queue: listed at once, highlighted only once the target has passed, without a reload.
        var queued = (await Fx.IngestAsync(channel, "ext-1-" + Suffix, "cust-1-" + Suffix, "Anyone there?", "Quentin"))["conversationId"]!.ToString();
        var queue = Page.GetByRole(AriaRole.List, new() { Name = "Queue" });
        var row = queue.Locator($"li[data-conversation-id='{queued}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bbreach\b"));
        await Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bbreach\b"));
        await Expect(row).ToContainTextAsync("SLA breached: waiting");
        await Expect(row).ToHaveCSSAsync("background-color", "rgb(253, 236, 234)");

        // Assigned but not answered: out of the queue, still a breach, shown with whom it waits; answered, it goes.
        var assigned = (await Fx.IngestAsync(channel, "ext-2-" + Suffix, "cust-2-" + Suffix, "Hello?", "Rosa"))["conversationId"]!.ToString();
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, $"/api/conversations/{assigned}/assign", new { userId = manager.Id });
        var breach = Page.GetByRole(AriaRole.List, new() { Name = "SLA breaches" }).Locator($"li[data-conversation-id='{assigned}']");
        await Expect(breach).ToContainTextAsync($"with {managerName}");
        await Expect(breach).ToContainTextAsync("SLA breached: waiting");
        await Expect(queue.Locator($"li[data-conversation-id='{assigned}']")).ToHaveCountAsync(0);
        await Fx.ApiAsync(manager.Token, HttpMethod.Post, $"/api/conversations/{assigned}/messages", new { text = "Sorry, here now." });
        await Expect(breach).ToHaveCountAsync(0);
        // The answer reaches the response-time tables without a reload (they kept "0" until one).
        var byManager = Page.GetByRole(AriaRole.Table, new() { Name = "By manager" });
        await Expect(byManager.GetByRole(AriaRole.Row).Filter(new() { HasText = managerName }).Locator("td").Nth(1)).ToHaveTextAsync("1");

        // The server keeps the mark: after a reload the waiting one is still highlighted.
        var stats = (await Fx.ApiAsync(supervisor.Token, HttpMethod.Get, "/api/stats/queue"))!;
        Assert.NotNull(stats["waiting"]!.AsArray().Single(w => w!["conversationId"]!.ToString() == queued)!["slaBreachedAt"]?.GetValue<string>());
        Assert.Single(stats["breaches"]!.AsArray(), b => b!["conversationId"]!.ToString() == queued);
        Assert.DoesNotContain(stats["breaches"]!.AsArray(), b => b!["conversationId"]!.ToString() == assigned);
        await Page.ReloadAsync();
        await Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bbreach\b"));
        await Expect(row).ToContainTextAsync("SLA breached: waiting");
    }

    /// <summary>An api channel "{name} {Suffix}" with a first-response target, a manager who is its member, and a supervisor.</summary>
    private async Task<(AppFixture.ApiChannel Channel, string ManagerName, AppFixture.TestUser Manager, AppFixture.TestUser Supervisor)> SupervisedChannelAsync(
        string name, int firstResponseSeconds)
    {
        var secret = "test-secret-" + Suffix;
        var created = await Fx.CreateChannelAsync("api", $"{name} {Suffix}", new JsonObject
        {
            ["secret"] = secret,
            ["sla"] = new JsonObject { ["firstResponseSeconds"] = firstResponseSeconds },
        });
        var channel = new AppFixture.ApiChannel(created["id"]!.GetValue<long>(), secret);
        var managerName = $"{name.ToLowerInvariant()}mgr{Suffix}";
        var manager = await Fx.CreateUserAsync(managerName, "manager", channel.Id);
        return (channel, managerName, manager, await Fx.CreateUserAsync($"{name.ToLowerInvariant()}sup{Suffix}", "supervisor"));
    }

    /// <summary>The app's duration format (lib/format.ts) for under a minute.</summary>
    private static string Duration(double seconds) =>
        seconds < 59.5 ? $"{Math.Round(seconds, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture)}s" : throw new ArgumentOutOfRangeException(nameof(seconds));
}
