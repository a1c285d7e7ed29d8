using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>Labels (issue #16) in real Chromium: live between two managers' screens, the filter, bulk, the admin tab, phone size and Russian.</summary>
public sealed class LabelsBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task A_label_added_on_one_screen_appears_live_on_a_colleagues_who_filters_by_it_and_its_removal_drops_the_row_live()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Labels " + Suffix);
        var anna = await Fx.CreateUserAsync("lanna" + Suffix, "manager", channel.Id);
        var boris = await Fx.CreateUserAsync("lboris" + Suffix, "manager", channel.Id);
        var labelName = "VIP " + Suffix;
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/labels", new { name = labelName, color = "#ffd700" });
        var id = (await Fx.IngestAsync(channel, "lb-" + Suffix, "cust-lb" + Suffix, "I am an important customer", "Ivana"))["conversationId"]!.ToString();
        var other = (await Fx.IngestAsync(channel, "lo-" + Suffix, "cust-lo" + Suffix, "Just asking", "Oleg"))["conversationId"]!.ToString();
        await Fx.OpenSignedInAsync(Page, anna.Email);
        var borisPage = await Fx.NewPageAsync();
        await Fx.OpenSignedInAsync(borisPage, boris.Email);
        var borisRow = borisPage.Locator($"[data-conversation-id='{id}']");
        await Expect(borisRow).ToBeVisibleAsync();

        await Page.Locator($"[data-conversation-id='{id}']").ClickAsync();
        await Page.Locator(".thread-head [data-shortcut='label']").ClickAsync();
        await Page.GetByRole(AriaRole.Group, new() { Name = "Labels", Exact = true }).GetByRole(AriaRole.Checkbox, new() { Name = labelName }).CheckAsync();
        await Expect(Page.Locator($".thread-head .label-chip[data-label='{labelName}']")).ToBeVisibleAsync();

        var chip = borisRow.Locator($".label-chip[data-label='{labelName}']");
        await Expect(chip).ToBeVisibleAsync(); // pushed, not reloaded
        // Readable: the chip's text colour is black on a light colour.
        Assert.Equal("rgb(0, 0, 0)", await chip.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await borisPage.GetByRole(AriaRole.Combobox, new() { Name = "Label", Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = labelName });
        await Expect(borisPage.Locator($"[data-conversation-id='{other}']")).ToHaveCountAsync(0);
        await Expect(borisRow).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Group, new() { Name = "Labels", Exact = true }).GetByRole(AriaRole.Checkbox, new() { Name = labelName }).UncheckAsync();

        await Expect(borisRow).ToHaveCountAsync(0); // it left Boris's filtered list live
        await Expect(Page.Locator($".thread-head .label-chip[data-label='{labelName}']")).ToHaveCountAsync(0);
        var server = (await Fx.ApiAsync(boris.Token, HttpMethod.Get, $"/api/conversations/{id}"))!;
        Assert.Empty(server["labels"]!.AsArray());
        await borisPage.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_creates_a_label_and_a_manager_on_a_phone_in_Russian_adds_it_to_ticked_rows_in_bulk()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Bulk " + Suffix);
        var manager = await Fx.CreateUserAsync("lbulk" + Suffix, "manager", channel.Id);
        var first = (await Fx.IngestAsync(channel, "b1-" + Suffix, "cust-b1" + Suffix, "One", "Первый"))["conversationId"]!.ToString();
        var second = (await Fx.IngestAsync(channel, "b2-" + Suffix, "cust-b2" + Suffix, "Two", "Второй"))["conversationId"]!.ToString();
        var labelName = "Опт " + Suffix;

        await Fx.OpenSignedInAsync(Page, "admin@test.local", "admin-password-1", path: "/admin/labels");
        var create = Page.Locator(".labels-admin form").First;
        await create.GetByLabel("Name").FillAsync(labelName);
        await create.GetByRole(AriaRole.Button, new() { Name = "Create label" }).ClickAsync();
        await Expect(Page.Locator($"[data-label-row='{labelName}']")).ToBeVisibleAsync();

        var phone = await Fx.NewPageAsync();
        await Fx.OpenSignedInAsync(phone, manager.Email);
        await phone.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GetByRole(AriaRole.Checkbox, new() { Name = "Выбрать: Первый" }).CheckAsync();
        await phone.GetByRole(AriaRole.Checkbox, new() { Name = "Выбрать: Второй" }).CheckAsync();
        await Expect(phone.GetByTestId("selected-count")).ToHaveTextAsync("Выбрано: 2");
        await phone.GetByRole(AriaRole.Combobox, new() { Name = "Выберите метку" }).SelectOptionAsync(new SelectOptionValue { Label = labelName });
        await phone.GetByRole(AriaRole.Button, new() { Name = "Добавить метку" }).ClickAsync();

        foreach (var id in new[] { first, second })
        {
            await Expect(phone.Locator($"[data-conversation-id='{id}'] .label-chip[data-label='{labelName}']")).ToBeVisibleAsync();
        }
        await Expect(phone.GetByTestId("selected-count")).ToHaveCountAsync(0);
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), "the inbox scrolls sideways at 390x844");
        await phone.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ArtifactsDir, "labels-bulk-ru-phone.png") });
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task The_contact_profile_shows_the_contacts_labels_and_adds_and_removes_them()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Contact labels " + Suffix);
        var manager = await Fx.CreateUserAsync("lcont" + Suffix, "manager", channel.Id);
        var wholesale = "Wholesale " + Suffix;
        var returning = "Returning " + Suffix;
        var wholesaleId = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/labels", new { name = wholesale, color = "#1e90ff" }))!["id"]!.GetValue<long>();
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/labels", new { name = returning, color = "#ffd700" });
        var ingested = await Fx.IngestAsync(channel, "lc-" + Suffix, "cust-lc" + Suffix, "Hello again", "Vera");
        var conversationId = ingested["conversationId"]!.ToString();
        var contactId = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/conversations/{conversationId}"))!["contact"]!["id"]!.GetValue<long>();
        await Fx.ApiAsync(manager.Token, HttpMethod.Put, $"/api/contacts/{contactId}/labels", new { labelIds = new[] { wholesaleId } });
        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/inbox/{conversationId}");

        await Page.GetByTestId("open-profile").ClickAsync();
        var labels = Page.GetByTestId("contact-profile").GetByTestId("profile-labels");
        await Expect(labels.Locator($".label-chip[data-label='{wholesale}']")).ToBeVisibleAsync();
        await labels.GetByRole(AriaRole.Button, new() { Name = "Labels" }).ClickAsync();
        var menu = labels.GetByRole(AriaRole.Group, new() { Name = "Labels", Exact = true });
        await menu.GetByRole(AriaRole.Checkbox, new() { Name = returning }).CheckAsync();
        await menu.GetByRole(AriaRole.Checkbox, new() { Name = wholesale }).UncheckAsync();

        await Expect(labels.Locator($".label-chip[data-label='{returning}']")).ToBeVisibleAsync();
        await Expect(labels.Locator($".label-chip[data-label='{wholesale}']")).ToHaveCountAsync(0);
        // The chips change as soon as a box is ticked; the two saves (add, then remove) may still be on their way.
        string[] stored = [];
        await ContactCenter.FunctionalTests.Infrastructure.HttpJson.EventuallyAsync(async () =>
        {
            stored = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/contacts/{contactId}"))!["labels"]!.AsArray()
                .Select(l => l!["name"]!.GetValue<string>()).ToArray();
            return stored.SequenceEqual([returning]);
        }, "the contact's stored labels to be only " + returning, TimeSpan.FromSeconds(20));
        Assert.Equal([returning], stored);

        // After a reload the profile reads them from the server.
        await Page.ReloadAsync();
        await Page.GetByTestId("open-profile").ClickAsync();
        await Expect(Page.GetByTestId("profile-labels").Locator(".label-chip")).ToHaveTextAsync([returning]);
    }
}
