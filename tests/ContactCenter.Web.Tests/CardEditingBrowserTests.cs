using System.Text.Json.Nodes;
using Dapper;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>Editing on the deal card (session 28's outside review): title and amount in place, custom fields, and a card handed away while open.</summary>
public sealed class CardEditingBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task The_deal_cards_title_and_amount_are_edited_in_place_and_a_colleague_sees_them_live()
    {
        var manager = await Fx.CreateUserAsync("inline" + Suffix, "manager");
        var supervisor = await Fx.CreateUserAsync("inlinesup" + Suffix, "supervisor");
        var dealId = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals", new { title = "Sofas " + Suffix, amount = 100, currency = "USD" }))!["id"]!.GetValue<long>();
        var fieldKey = "floor_" + Suffix;
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/custom-fields", new { entity = "deal", key = fieldKey, label = "Floor " + Suffix, type = "string" });
        var context = await Fx.NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB" });
        var colleague = await context.NewPageAsync();
        try
        {
            await Fx.OpenSignedInAsync(colleague, supervisor.Email, path: $"/deals/{dealId}");
            await Expect(colleague.GetByTestId("deal-card").GetByRole(AriaRole.Heading, new() { Name = "Sofas " + Suffix })).ToBeVisibleAsync();
            await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/deals/{dealId}");
            var card = Page.GetByTestId("deal-card");

            // Escape leaves the title as it was; Enter saves.
            await card.GetByRole(AriaRole.Button, new() { Name = "Edit: Title" }).ClickAsync();
            await card.GetByRole(AriaRole.Textbox, new() { Name = "Title" }).FillAsync("Not this");
            await card.GetByRole(AriaRole.Textbox, new() { Name = "Title" }).PressAsync("Escape");
            await Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Sofas " + Suffix })).ToBeVisibleAsync();
            await card.GetByRole(AriaRole.Button, new() { Name = "Edit: Title" }).ClickAsync();
            await card.GetByRole(AriaRole.Textbox, new() { Name = "Title" }).FillAsync("Corner sofas " + Suffix);
            await card.GetByRole(AriaRole.Textbox, new() { Name = "Title" }).PressAsync("Enter");
            await Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Corner sofas " + Suffix })).ToBeVisibleAsync();

            await card.GetByRole(AriaRole.Button, new() { Name = "Edit: Amount" }).ClickAsync();
            // Typed the Russian way (a group space, a decimal comma): a number input dropped the comma and saved 25 005.
            await card.GetByRole(AriaRole.Textbox, new() { Name = "Amount" }).FillAsync("2 500,5");
            await card.GetByTestId("deal-amount-edit").GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(card.GetByTestId("deal-amount")).ToContainTextAsync("2,500.50");
            var saved = await DealAsync(dealId);
            Assert.Equal("Corner sofas " + Suffix, saved["title"]!.GetValue<string>());
            Assert.Equal(2500.5m, saved["amount"]!.GetValue<decimal>());

            // The colleague's open card follows without a refresh.
            var theirs = colleague.GetByTestId("deal-card");
            await Expect(theirs.GetByRole(AriaRole.Heading, new() { Name = "Corner sofas " + Suffix })).ToBeVisibleAsync();
            await Expect(theirs.GetByTestId("deal-amount")).ToContainTextAsync("2,500.50");

            // An amount that follows the products is not typed in.
            await Fx.ApiAsync(manager.Token, HttpMethod.Patch, $"/api/deals/{dealId}", new
            {
                products = new[] { new { name = "Sofa", price = 700, quantity = 2, discount = 0 } }, amountFromProducts = true,
            });
            await Expect(card.GetByTestId("deal-amount")).ToContainTextAsync("US$1,400");
            await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Edit: Amount" })).ToHaveCountAsync(0);

            // The deal's custom fields are on its card (they were only in the inbox's side panel).
            var field = card.GetByTestId("custom-fields-deal").GetByLabel("Floor " + Suffix, new() { Exact = true });
            await field.FillAsync("3rd, no lift");
            var fieldSaved = await Page.RunAndWaitForResponseAsync(() => field.PressAsync("Enter"),
                r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/api/deals/{dealId}", StringComparison.Ordinal));
            Assert.Equal(200, fieldSaved.Status);
            Assert.Equal("3rd, no lift", (await DealAsync(dealId))["fields"]![fieldKey]!.GetValue<string>());

            // Handed to a colleague while the card is open: it says the deal is no longer the manager's, not a stale card
            // whose every button then fails.
            var colleagueManager = await Fx.CreateUserAsync("inline2" + Suffix, "manager");
            await Fx.ApiAsync(supervisor.Token, HttpMethod.Patch, $"/api/deals/{dealId}", new { assigneeId = colleagueManager.Id });
            await Expect(Page.GetByText("There is no such record, or it is not yours to see.")).ToBeVisibleAsync();
            await Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Corner sofas " + Suffix })).ToHaveCountAsync(0);
            await Expect(card.GetByTestId("stage-bar")).ToHaveCountAsync(0);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_manager_who_hands_the_deal_to_a_colleague_from_its_card_is_told_so()
    {
        var manager = await Fx.CreateUserAsync("giver" + Suffix, "manager");
        var taker = await Fx.CreateUserAsync("taker" + Suffix, "manager");
        var dealId = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals", new { title = "Handed " + Suffix }))!["id"]!.GetValue<long>();
        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/deals/{dealId}");
        var card = Page.GetByTestId("deal-card");

        await card.GetByLabel("Assignee").SelectOptionAsync(new SelectOptionValue { Label = "taker" + Suffix });

        // The outside review's finding: the card said "There is no such record, or it is not yours to see." right after.
        await Expect(card.GetByTestId("deal-handed-over")).ToHaveTextAsync($"You handed this deal to taker{Suffix}: it is theirs now.");
        await Expect(Page.GetByText("There is no such record, or it is not yours to see.")).ToHaveCountAsync(0);
        Assert.Equal(taker.Id, (await DealAsync(dealId))["assignee"]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_colleagues_deal_seen_through_a_shared_conversation_reads_as_theirs_with_nothing_to_press()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Shared card " + Suffix);
        var owner = await Fx.CreateUserAsync("owner" + Suffix, "manager", channel.Id);
        var colleague = await Fx.CreateUserAsync("reader" + Suffix, "manager", channel.Id);
        var conversationId = (await Fx.IngestAsync(channel, "ext-" + Suffix, "cust-" + Suffix, "Do you deliver?", "Olga Shared"))["conversationId"]!.GetValue<long>();
        var leadId = (await Fx.ApiAsync(owner.Token, HttpMethod.Get, $"/api/conversations/{conversationId}"))!["leadId"]!.GetValue<long>();
        var dealId = (await Fx.ApiAsync(owner.Token, HttpMethod.Post, $"/api/leads/{leadId}/convert", new { amount = 500 }))!["dealId"]!.GetValue<long>();

        await Fx.OpenSignedInAsync(Page, colleague.Email, path: $"/deals/{dealId}");
        var card = Page.GetByTestId("deal-card");
        await Expect(card.GetByTestId("card-colleagues")).ToContainTextAsync("owner" + Suffix);
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Edit: Title" })).ToHaveCountAsync(0);
        await Expect(card.GetByLabel("Assignee")).ToBeDisabledAsync();
        var enabledStages = await card.GetByTestId("stage-bar").Locator("button:enabled").CountAsync();
        Assert.Equal(0, enabledStages);
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Save products" })).ToBeDisabledAsync();

        // The inbox's side panel says the same (it offered Won/Lost, stage and assignee, each then refused).
        await Page.GotoAsync($"{Fx.BaseUrl}/inbox/{conversationId}");
        await Expect(Page.GetByTestId("panel-colleagues")).ToContainTextAsync("owner" + Suffix);
        await Expect(Page.GetByRole(AriaRole.Combobox, new() { Name = "Stage" })).ToBeDisabledAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Close won" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Edit Title" })).ToHaveCountAsync(0);

        // Its owner's card is as before.
        await Fx.OpenSignedInAsync(Page, owner.Email, path: $"/deals/{dealId}");
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Edit: Title" })).ToBeVisibleAsync();
        await Expect(card.GetByTestId("card-colleagues")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_lost_deal_on_a_russian_screen_gives_the_seeded_loss_reason_in_russian()
    {
        var manager = await Fx.CreateUserAsync("lostru" + Suffix, "manager");
        var dealId = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals", new { title = "Кресла " + Suffix, amount = 100 }))!["id"]!.GetValue<long>();
        var reasons = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, "/api/loss-reasons"))!.AsArray();
        var expensive = reasons.Single(r => r!["name"]!.GetValue<string>() == "Too expensive")!;
        Assert.Equal("Слишком дорого", expensive["nameRu"]!.GetValue<string>());
        await Fx.ApiAsync(manager.Token, HttpMethod.Post, $"/api/deals/{dealId}/close", new { outcome = "lost", lossReasonId = expensive["id"]!.GetValue<long>() });

        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/deals/{dealId}");
        await Page.EvaluateAsync("() => localStorage.setItem('cc.lang', 'ru')");
        await Page.ReloadAsync();
        await Expect(Page.GetByTestId("deal-card")).ToContainTextAsync("Слишком дорого");
        await Expect(Page.GetByTestId("deal-card")).Not.ToContainTextAsync("Too expensive");
    }

    [Fact]
    public async Task A_deal_is_linked_to_a_company_on_its_card_and_a_repeat_sale_links_the_deal_it_came_from()
    {
        var manager = await Fx.CreateUserAsync("company" + Suffix, "manager");
        var companyId = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/companies", new { name = "Acme " + Suffix }))!["id"]!.GetValue<long>();
        var parentId = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals", new { title = "First order " + Suffix, amount = 100 }))!["id"]!.GetValue<long>();
        var dealId = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals", new { title = "Repeat order " + Suffix, amount = 100 }))!["id"]!.GetValue<long>();
        await using (var db = Fx.Db())
        {
            // As the repeat-sale job writes it.
            Assert.Equal(1, await db.ExecuteAsync("update deals set parent_deal_id = @parentId where id = @dealId", new { parentId, dealId }));
        }

        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/deals/{dealId}");
        var card = Page.GetByTestId("deal-card");
        var company = card.GetByTestId("deal-company");
        await Expect(company.GetByLabel("Company")).ToHaveValueAsync("");
        var saved = await Page.RunAndWaitForResponseAsync(() => company.GetByLabel("Company").SelectOptionAsync(new SelectOptionValue { Label = "Acme " + Suffix }),
            r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/api/deals/{dealId}", StringComparison.Ordinal));
        Assert.Equal(200, saved.Status);
        var deal = await DealAsync(dealId);
        Assert.Equal(companyId, deal["companyId"]!.GetValue<long>());
        Assert.Equal("Acme " + Suffix, deal["companyName"]!.GetValue<string>());
        await Expect(company.GetByLabel("Company")).ToHaveValueAsync(companyId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The company's card lists the deal and leads back to it.
        await company.GetByRole(AriaRole.Link, new() { Name = "Open" }).ClickAsync();
        var companyCard = Page.GetByTestId("company-card");
        await Expect(companyCard.GetByRole(AriaRole.Heading, new() { Name = "Acme " + Suffix })).ToBeVisibleAsync();
        await companyCard.GetByRole(AriaRole.Link, new() { Name = "Repeat order " + Suffix }).ClickAsync();

        // The repeat sale names the deal it came from.
        await card.GetByRole(AriaRole.Link, new() { Name = $"#{parentId}" }).ClickAsync();
        await Expect(card.GetByRole(AriaRole.Heading, new() { Name = "First order " + Suffix })).ToBeVisibleAsync();
        await Expect(card.GetByTestId("deal-company").GetByLabel("Company")).ToHaveValueAsync("");
    }

    private async Task<JsonNode> DealAsync(long id) => (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/deals/{id}"))!;
}
