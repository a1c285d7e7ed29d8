using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The deals board, the conversation's side panel and the supervisor's figures, in Chromium against the real server.</summary>
public sealed partial class CrmBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task Dragging_a_deal_card_to_another_stage_moves_its_count_and_amount()
    {
        var manager = await Fx.CreateUserAsync("board" + Suffix, "manager");
        var pipelineName = "Board " + Suffix;
        var pipeline = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/pipelines", new
        {
            name = pipelineName,
            stages = new[] { new { name = "New", semantic = "open" }, new { name = "Talks", semantic = "open" }, new { name = "Won", semantic = "won" }, new { name = "Lost", semantic = "lost" } },
        }))!;
        var stageIds = pipeline["stages"]!.AsArray().Select(s => s!["id"]!.GetValue<long>()).ToArray();
        var (newStage, talks, lost) = (stageIds[0], stageIds[1], stageIds[3]);
        var chairs = await CreateDealAsync(pipeline, newStage, "Chairs", 1000, manager.Id);
        var lamps = await CreateDealAsync(pipeline, newStage, "Lamps", 250, manager.Id);
        await CreateDealAsync(pipeline, talks, "Tables", 4000, manager.Id);

        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/deals");
        await Page.GetByLabel("Pipeline").SelectOptionAsync(new SelectOptionValue { Label = pipelineName });
        var newColumn = Page.Locator($".board .column[data-stage-id='{newStage}']");
        var talksColumn = Page.Locator($".board .column[data-stage-id='{talks}']");
        var lostColumn = Page.Locator($".board .column[data-stage-id='{lost}']");
        await ExpectColumnAsync(newColumn, 2, "US$1,250");
        await ExpectColumnAsync(talksColumn, 1, "US$4,000");

        await DragAsync(newColumn.Locator($"[data-deal-id='{chairs}']"), talksColumn);
        await ExpectColumnAsync(newColumn, 1, "US$250");
        await ExpectColumnAsync(talksColumn, 2, "US$5,000");
        await Expect(talksColumn.Locator($"[data-deal-id='{chairs}']")).ToBeVisibleAsync();
        await WaitForStageAsync(chairs, talks);

        // (A drop on the single lost stage asks for the loss reason first: InboxDayOneTests.)
        await ExpectColumnAsync(lostColumn, 0, "0");
        Assert.Equal(newStage, (await GetDealAsync(lamps))["stage"]!["id"]!.GetValue<long>());

        // A reload shows what the server stored.
        await Page.ReloadAsync();
        await Page.GetByLabel("Pipeline").SelectOptionAsync(new SelectOptionValue { Label = pipelineName });
        await ExpectColumnAsync(talksColumn, 2, "US$5,000");
    }

    [Fact]
    public async Task A_deal_dropped_below_the_cards_of_a_short_column_lands_in_that_column_not_in_its_taller_neighbour()
    {
        var manager = await Fx.CreateUserAsync("shortcol" + Suffix, "manager");
        var pipelineName = "Short column " + Suffix;
        var pipeline = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/pipelines", new
        {
            name = pipelineName,
            stages = new[]
            {
                new { name = "New", semantic = "open" }, new { name = "Proposal", semantic = "open" }, new { name = "Talks", semantic = "open" },
                new { name = "Won", semantic = "won" }, new { name = "Lost", semantic = "lost" },
            },
        }))!;
        var stageIds = pipeline["stages"]!.AsArray().Select(s => s!["id"]!.GetValue<long>()).ToArray();
        var (newStage, proposal, talks) = (stageIds[0], stageIds[1], stageIds[2]);
        var deals = new List<long>();
        foreach (var title in new[] { "Desks", "Shelves", "Sofas" })
        {
            deals.Add(await CreateDealAsync(pipeline, newStage, title, 100, manager.Id));
            await CreateDealAsync(pipeline, talks, title + " later", 100, manager.Id);
        }

        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/deals");
        await Page.GetByLabel("Pipeline").SelectOptionAsync(new SelectOptionValue { Label = pipelineName });
        var newColumn = Page.Locator($".board .column[data-stage-id='{newStage}']");
        var proposalColumn = Page.Locator($".board .column[data-stage-id='{proposal}']");
        var talksColumn = Page.Locator($".board .column[data-stage-id='{talks}']");
        await ExpectColumnAsync(newColumn, 3, "US$300");
        await ExpectColumnAsync(proposalColumn, 0, "0");

        // Released at the empty Proposal column's x, at the height of New's last card: below Proposal's own few pixels of content.
        var last = newColumn.Locator($"[data-deal-id='{deals[2]}']");
        var lastBox = (await last.BoundingBoxAsync())!;
        var proposalBox = (await proposalColumn.Locator("header").BoundingBoxAsync())!;
        await newColumn.Locator($"[data-deal-id='{deals[0]}'] strong").HoverAsync();
        await Page.Mouse.DownAsync();
        await Page.Mouse.MoveAsync(proposalBox.X + proposalBox.Width / 2, lastBox.Y + lastBox.Height / 2, new() { Steps = 12 });
        await Page.Mouse.UpAsync();

        await ExpectColumnAsync(proposalColumn, 1, "US$100");
        await ExpectColumnAsync(talksColumn, 3, "US$300");
        await WaitForStageAsync(deals[0], proposal);
    }

    [Fact]
    public async Task A_colleagues_deal_and_lead_opened_by_link_say_there_is_no_such_record_and_show_nothing_of_it()
    {
        var owner = await Fx.CreateUserAsync("owner" + Suffix, "manager");
        var other = await Fx.CreateUserAsync("other" + Suffix, "manager");
        var pipeline = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/pipelines", new
        {
            name = "Private " + Suffix,
            stages = new[] { new { name = "New", semantic = "open" }, new { name = "Won", semantic = "won" }, new { name = "Lost", semantic = "lost" } },
        }))!;
        var dealId = await CreateDealAsync(pipeline, pipeline["stages"]![0]!["id"]!.GetValue<long>(), "Secret deal", 500, owner.Id);
        var leadId = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/leads", new
        {
            title = "Secret lead " + Suffix, contact = new { name = "Secret contact " + Suffix }, assigneeId = owner.Id,
        }))!["id"]!.GetValue<long>();

        await Fx.OpenSignedInAsync(Page, other.Email);
        foreach (var path in new[] { $"/deals/{dealId}", $"/leads/{leadId}" })
        {
            await Page.GotoAsync(Fx.BaseUrl + path);
            await Expect(Page.Locator(".notice.missing")).ToHaveTextAsync("There is no such record, or it is not yours to see.");
            await Expect(Page.Locator("main")).Not.ToContainTextAsync("Secret");
            await Expect(Page.Locator(".notice.unavailable")).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task The_side_panel_converts_the_lead_shows_activities_with_the_overdue_one_in_red_and_adds_one()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Side " + Suffix);
        var manager = await Fx.CreateUserAsync("side" + Suffix, "manager", channel.Id);
        var ingested = await Fx.IngestAsync(channel, "ext-" + Suffix, "cust-" + Suffix, "I need forty chairs", "Carla Buyer");
        var conversationId = ingested["conversationId"]!.ToString();

        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/inbox/{conversationId}");
        var side = Page.GetByRole(AriaRole.Complementary, new() { Name = "Details" });
        await Expect(side.GetByRole(AriaRole.Heading, new() { Name = "Lead" })).ToBeVisibleAsync();
        await Expect(side).ToContainTextAsync("Carla Buyer (api)");
        await Expect(side).ToContainTextAsync("This lead has no planned activity.");

        await side.GetByRole(AriaRole.Button, new() { Name = "Convert to deal" }).ClickAsync();
        await Expect(side.GetByRole(AriaRole.Heading, new() { Name = "Deal" })).ToBeVisibleAsync();
        await Expect(side).ToContainTextAsync("This deal has no planned activity.");
        var dealId = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/conversations/{conversationId}"))!["dealId"]!.GetValue<long>();

        // The amount is edited in place.
        await side.GetByRole(AriaRole.Button, new() { Name = "Edit Amount" }).ClickAsync();
        await side.GetByLabel("Amount").FillAsync("1200");
        await side.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(side.GetByRole(AriaRole.Button, new() { Name = "Edit Amount" })).ToContainTextAsync("US$1,200");
        Assert.Equal(1200m, (await GetDealAsync(dealId))["amount"]!.GetValue<decimal>());

        // Activities planned elsewhere (here: through the API) appear live, soonest first; the overdue one is red.
        var now = DateTimeOffset.UtcNow;
        await CreateActivityAsync(manager.Token, dealId, "meeting", "Showroom visit", now.AddDays(2));
        var overdueId = await CreateActivityAsync(manager.Token, dealId, "call", "Call back about chairs", now.AddHours(-2));
        var lines = side.Locator(".activities .activity");
        await Expect(lines).ToHaveCountAsync(2);
        var overdue = lines.Nth(0);
        await Expect(overdue).ToContainTextAsync("Call back about chairs");
        await Expect(overdue).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\boverdue\b"));
        await Expect(overdue.Locator("time")).ToHaveCSSAsync("color", "rgb(198, 40, 40)");
        await Expect(overdue).ToContainTextAsync("Overdue");
        await Expect(lines.Nth(1)).ToContainTextAsync("Showroom visit");
        await Expect(lines.Nth(1)).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\boverdue\b"));
        await Expect(lines.Nth(1).Locator("time")).Not.ToHaveCSSAsync("color", "rgb(198, 40, 40)");

        // Added in the panel.
        await side.GetByRole(AriaRole.Button, new() { Name = "+ Add activity" }).ClickAsync();
        var form = side.Locator(".activity-form");
        await form.GetByLabel("Type").SelectOptionAsync("task");
        await form.GetByLabel("Title").FillAsync("Send the quote");
        await form.GetByLabel("Due").FillAsync(now.AddDays(1).ToLocalTime().ToString("yyyy-MM-dd'T'10:00", CultureInfo.InvariantCulture));
        await form.GetByRole(AriaRole.Button, new() { Name = "Add activity" }).ClickAsync();
        await Expect(lines).ToHaveCountAsync(3);
        await Expect(lines.Nth(1)).ToContainTextAsync("Send the quote");
        var stored = await ActivitiesAsync(manager.Token, dealId);
        var quote = Assert.Single(stored, a => a!["title"]!.GetValue<string>() == "Send the quote");
        Assert.Equal("task", quote!["type"]!.GetValue<string>());

        // Done: it leaves the list, and the server has it completed.
        await overdue.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(lines).ToHaveCountAsync(2);
        await Expect(side.Locator(".activities .activity.overdue")).ToHaveCountAsync(0);
        var completed = (await ActivitiesAsync(manager.Token, dealId)).Single(a => a!["id"]!.GetValue<long>() == overdueId)!;
        Assert.NotNull(completed["completedAt"]?.GetValue<string>());
    }

    [Fact]
    public async Task The_activities_page_lists_overdue_and_planned_with_counters_in_the_navigation_and_done_clears_them()
    {
        var manager = await Fx.CreateUserAsync("acts" + Suffix, "manager");
        var pipeline = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/pipelines"))!.AsArray().Single(p => p!["isDefault"]!.GetValue<bool>())!;
        var dealId = await CreateDealAsync(pipeline, pipeline["stages"]![0]!["id"]!.GetValue<long>(), "Sofas", 900, manager.Id);
        var now = DateTimeOffset.UtcNow;
        await CreateActivityAsync(manager.Token, dealId, "call", "Overdue call " + Suffix, now.AddHours(-3));
        await CreateActivityAsync(manager.Token, dealId, "meeting", "Planned meeting " + Suffix, now.AddDays(3));

        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/activities");
        await Expect(Page.GetByTestId("nav-badge-activities")).ToHaveTextAsync("1");
        var list = Page.GetByRole(AriaRole.Tabpanel);
        await Expect(list.Locator(".activity")).ToHaveCountAsync(1);
        await Expect(list.Locator(".activity.overdue")).ToContainTextAsync("Overdue call " + Suffix);
        await Expect(list.Locator(".activity.overdue")).ToContainTextAsync("Sofas " + Suffix);

        await list.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(list).ToContainTextAsync("Nothing here.");
        await Expect(Page.GetByTestId("nav-badge-activities")).ToHaveCountAsync(0);

        // An overdue call added elsewhere (another tab, a colleague) joins the open list without a reload, and the
        // calendar shows it on the day it was due (it listed only what was still ahead).
        await CreateActivityAsync(manager.Token, dealId, "call", "Late call " + Suffix, DateTimeOffset.UtcNow.AddMinutes(-5));
        await Expect(list.Locator(".activity.overdue")).ToContainTextAsync("Late call " + Suffix);
        await Expect(Page.Locator(".calendar .cal-item").Filter(new() { HasText = "Late call " + Suffix })).ToHaveCountAsync(1);
        await list.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(list).ToContainTextAsync("Nothing here.");

        await Page.GetByRole(AriaRole.Tab, new() { Name = "Planned" }).ClickAsync();
        await Expect(list.Locator(".activity")).ToContainTextAsync("Planned meeting " + Suffix);
        await Expect(list.Locator(".activity.overdue")).ToHaveCountAsync(0);
        if (now.AddDays(3).ToLocalTime().Month != now.ToLocalTime().Month)
        {
            await Page.GetByRole(AriaRole.Button, new() { Name = "Next month" }).ClickAsync();
        }
        await Expect(Page.Locator(".calendar .cal-item").Filter(new() { HasText = "Planned meeting " + Suffix })).ToHaveCountAsync(1);
    }

    private async Task<long> CreateDealAsync(JsonNode pipeline, long stageId, string title, decimal amount, long assigneeId) =>
        (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/deals", new
        {
            title = $"{title} {Suffix}", amount, currency = "USD", pipelineId = pipeline["id"]!.GetValue<long>(), stageId, assigneeId,
        }))!["id"]!.GetValue<long>();

    private async Task<JsonNode> GetDealAsync(long id) => (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/deals/{id}"))!;

    private async Task WaitForStageAsync(long dealId, long stageId)
    {
        for (var i = 0; i < 50 && (await GetDealAsync(dealId))["stage"]!["id"]!.GetValue<long>() != stageId; i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(stageId, (await GetDealAsync(dealId))["stage"]!["id"]!.GetValue<long>());
    }

    private async Task<long> CreateActivityAsync(string token, long dealId, string type, string title, DateTimeOffset dueAt) =>
        (await Fx.ApiAsync(token, HttpMethod.Post, "/api/activities", new { subject = new { type = "deal", id = dealId }, type, title, dueAt }))!["id"]!.GetValue<long>();

    private async Task<JsonArray> ActivitiesAsync(string token, long dealId) =>
        (await Fx.ApiAsync(token, HttpMethod.Get, $"/api/activities?assignee=all&subjectType=deal&subjectId={dealId}"))!["items"]!.AsArray();

    /// <summary>A real mouse drag in Chromium: press on the card, move over the column in steps, release.</summary>
    private async Task DragAsync(ILocator card, ILocator column)
    {
        await card.Locator("strong").HoverAsync();
        await Page.Mouse.DownAsync();
        var box = (await column.Locator("header").BoundingBoxAsync())!;
        await Page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2, new() { Steps = 12 });
        await Page.Mouse.UpAsync();
    }

    private static async Task ExpectColumnAsync(ILocator column, int count, string total)
    {
        await Expect(column.GetByTestId("column-count")).ToHaveTextAsync($"Deals: {count}");
        await Expect(column.GetByTestId("column-total")).ToHaveTextAsync($"Total {total}");
    }
}
