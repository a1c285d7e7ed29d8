using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The admin page in Chromium against the real server: every change made in the UI is checked in the server's REST state.</summary>
public sealed class AdminBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task An_api_channel_created_in_the_wizard_stores_its_settings_never_returns_its_secret_and_accepts_signed_messages()
    {
        var name = "Shop API " + Suffix;
        var secret = "ui-secret-" + Suffix;
        await SignInAsAdminAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "+ New channel" }).ClickAsync();
        await Page.GetByRole(AriaRole.Radio, new() { Name = "API integration" }).CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Next", Exact = true }).ClickAsync();
        await Page.GetByLabel("Channel name").FillAsync(name);
        await Page.GetByLabel("Signing secret").FillAsync(secret);
        await Page.GetByLabel("Callback URL").FillAsync("https://shop.example/cc-callback");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();
        await Expect(Page.Locator(".check-ok")).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();

        var stored = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/channels"))!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        var id = stored["id"]!.GetValue<long>();
        Assert.Equal("api", stored["kind"]!.GetValue<string>());
        Assert.Equal("https://shop.example/cc-callback", stored["settings"]!["callbackUrl"]!.GetValue<string>());
        Assert.Null(stored["settings"]!["secret"]);
        Assert.Contains("secret", stored["secretsSet"]!.AsArray().Select(s => s!.GetValue<string>()));
        // This app has no public address configured: the wizard shows the server's own value (a path) and says so,
        // instead of making one up from the browser's address.
        Assert.Equal($"/api/inbound/{id}", stored["public"]!["inboundUrl"]!.GetValue<string>());
        await Expect(Page.Locator("[data-public-key='inboundUrl'] input")).ToHaveValueAsync($"/api/inbound/{id}");
        await Expect(Page.Locator(".public-info .notice")).ToContainTextAsync("public address is not configured");

        // The secret typed in the wizard is what an integration signs with.
        var ingested = await Fx.IngestAsync(new AppFixture.ApiChannel(id, secret), "ext-" + Suffix, "cust-" + Suffix, "Hello from the shop");
        Assert.False(ingested["duplicate"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_user_added_in_the_admin_page_can_sign_in_and_membership_ticked_there_is_stored()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Members " + Suffix);
        var name = "Nina " + Suffix;
        var email = $"nina{Suffix}@test.local";
        await SignInAsAdminAsync();
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Users" }).ClickAsync();
        var form = Page.Locator("form.admin-form");
        await form.GetByLabel("Name").FillAsync(name);
        await form.GetByLabel("Email").FillAsync(email);
        await form.GetByLabel("Role").SelectOptionAsync(new SelectOptionValue { Label = "Manager" });
        await form.GetByLabel("Password").FillAsync("nina-password-1");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        var row = Page.Locator("table.stats tbody tr").Filter(new() { HasText = email });
        await Expect(row).ToContainTextAsync(name);
        var user = await UserAsync(email);
        Assert.Equal("manager", user["role"]!.GetValue<string>());
        Assert.Empty(user["channelIds"]!.AsArray());
        var token = await Fx.LoginAsync(email, "nina-password-1");

        var member = row.GetByRole(AriaRole.Checkbox, new() { Name = $"{name}: Member of Members {Suffix}" });
        await Expect(member).Not.ToBeCheckedAsync();
        await member.ClickAsync();
        await Expect(member).ToBeCheckedAsync();
        var userId = user["id"]!.GetValue<long>();
        Assert.Equal([channel.Id], (await UserAsync(email))["channelIds"]!.AsArray().Select(c => c!.GetValue<long>()));
        Assert.Contains(userId, (await ChannelAsync(channel.Id))["memberIds"]!.AsArray().Select(m => m!.GetValue<long>()));
        // As a member she sees the channel's unassigned conversations.
        var ingested = await Fx.IngestAsync(channel, "ext-" + Suffix, "cust-" + Suffix, "For the members");
        await Fx.ApiAsync(token, HttpMethod.Get, $"/api/conversations/{ingested["conversationId"]}");

        await member.ClickAsync();
        await Expect(member).Not.ToBeCheckedAsync();
        Assert.Empty((await UserAsync(email))["channelIds"]!.AsArray());
        Assert.DoesNotContain(userId, (await ChannelAsync(channel.Id))["memberIds"]!.AsArray().Select(m => m!.GetValue<long>()));
    }

    [Fact]
    public async Task Editing_a_pipeline_renames_a_stage_that_has_deals_keeping_them_adds_a_stage_and_reorders_them()
    {
        var pipelineName = "Edit " + Suffix;
        var pipeline = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/pipelines", new
        {
            name = pipelineName,
            stages = new[] { new { name = "New", semantic = "open" }, new { name = "Talks", semantic = "open" }, new { name = "Won", semantic = "won" }, new { name = "Lost", semantic = "lost" } },
        }))!;
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var talks = pipeline["stages"]![1]!["id"]!.GetValue<long>();
        var deal = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/deals", new { title = "Desks " + Suffix, amount = 500, currency = "USD", pipelineId, stageId = talks }))!["id"]!.GetValue<long>();

        await SignInAsAdminAsync();
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Pipelines and stages" }).ClickAsync();
        var item = Page.Locator($".admin-list li[data-pipeline-id='{pipelineId}']");
        await Expect(item.Locator(".stages-line")).ToHaveTextAsync("New → Talks → Won (won) → Lost (lost)");
        await item.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        var form = Page.Locator("form.admin-form");
        await Expect(form.GetByRole(AriaRole.Heading)).ToHaveTextAsync($"Edit: {pipelineName}");
        await Expect(form.GetByLabel("Stage 2", new() { Exact = true })).ToHaveValueAsync("Talks");
        await form.GetByLabel("Stage 2", new() { Exact = true }).FillAsync("Negotiation");
        await form.GetByRole(AriaRole.Button, new() { Name = "+ Add stage" }).ClickAsync();
        await Expect(form.GetByLabel("Stage 3", new() { Exact = true })).ToHaveValueAsync("");
        await Expect(form.GetByLabel("Stage 4", new() { Exact = true })).ToHaveValueAsync("Won");
        await form.GetByLabel("Stage 3", new() { Exact = true }).FillAsync("Proposal");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(item.Locator(".stages-line")).ToHaveTextAsync("New → Negotiation → Proposal → Won (won) → Lost (lost)");
        await Expect(Page.Locator("form.admin-form").GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        var stages = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/pipelines/{pipelineId}"))!["stages"]!.AsArray()
            .OrderBy(s => s!["order"]!.GetValue<int>()).ToList();
        Assert.Equal(["New", "Negotiation", "Proposal", "Won", "Lost"], stages.Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal(talks, stages[1]!["id"]!.GetValue<long>());
        Assert.Equal("open", stages[2]!["semantic"]!.GetValue<string>());
        var stored = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/deals/{deal}"))!;
        Assert.Equal(talks, stored["stage"]!["id"]!.GetValue<long>());
        Assert.Equal("Negotiation", stored["stage"]!["name"]!.GetValue<string>());

        // Reordered: Proposal before Negotiation; the stage with the deal keeps its id and its deal.
        await item.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Button, new() { Name = "Move stage 1 up" })).ToBeDisabledAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Move stage 3 up" }).ClickAsync();
        await Expect(form.GetByLabel("Stage 2", new() { Exact = true })).ToHaveValueAsync("Proposal");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(item.Locator(".stages-line")).ToHaveTextAsync("New → Proposal → Negotiation → Won (won) → Lost (lost)");
        stages = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/pipelines/{pipelineId}"))!["stages"]!.AsArray()
            .OrderBy(s => s!["order"]!.GetValue<int>()).ToList();
        Assert.Equal(["New", "Proposal", "Negotiation", "Won", "Lost"], stages.Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal(talks, stages[2]!["id"]!.GetValue<long>());
        Assert.Equal(talks, (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/deals/{deal}"))!["stage"]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_pipeline_is_made_the_default_and_an_empty_one_deleted_after_asking_while_one_with_deals_says_why_not()
    {
        var pipelines = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/pipelines"))!.AsArray();
        var original = pipelines.Single(p => p!["isDefault"]!.GetValue<bool>())!["id"]!.GetValue<long>();
        var busy = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/pipelines", new { name = "Busy " + Suffix }))!["id"]!.GetValue<long>();
        var spare = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/pipelines", new { name = "Spare " + Suffix }))!["id"]!.GetValue<long>();
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/deals", new { title = "Held " + Suffix, amount = 100, currency = "USD", pipelineId = busy });
        await SignInAsAdminAsync();
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Pipelines and stages" }).ClickAsync();
        var originalItem = Page.Locator($".admin-list li[data-pipeline-id='{original}']");
        var busyItem = Page.Locator($".admin-list li[data-pipeline-id='{busy}']");
        var spareItem = Page.Locator($".admin-list li[data-pipeline-id='{spare}']");
        await Expect(originalItem.GetByTestId("default-pipeline")).ToBeVisibleAsync();
        // The default pipeline can be neither deleted nor "made default" again.
        await Expect(originalItem.GetByRole(AriaRole.Button, new() { Name = "Make default" })).ToHaveCountAsync(0);
        await Expect(originalItem.Locator("button.danger")).ToHaveCountAsync(0);
        try
        {
            await busyItem.GetByRole(AriaRole.Button, new() { Name = "Make default" }).ClickAsync();
            await Expect(busyItem.GetByTestId("default-pipeline")).ToBeVisibleAsync();
            await Expect(originalItem.GetByTestId("default-pipeline")).ToHaveCountAsync(0);
            Assert.True((await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/pipelines/{busy}"))!["isDefault"]!.GetValue<bool>());
            await originalItem.GetByRole(AriaRole.Button, new() { Name = "Make default" }).ClickAsync();
            await Expect(originalItem.GetByTestId("default-pipeline")).ToBeVisibleAsync();

            // A pipeline with a deal: asked, accepted, refused with the reason by the list; it stays. The empty one goes.
            Page.Dialog += Accept;
            await busyItem.GetByRole(AriaRole.Button, new() { Name = $"Delete pipeline Busy {Suffix}" }).ClickAsync();
            await Expect(Page.GetByTestId("pipeline-list-error")).ToContainTextAsync("1 deal(s)");
            await Expect(busyItem).ToBeVisibleAsync();
            await spareItem.GetByRole(AriaRole.Button, new() { Name = $"Delete pipeline Spare {Suffix}" }).ClickAsync();
            await Expect(spareItem).ToHaveCountAsync(0);
            await Expect(Page.GetByTestId("pipeline-list-error")).ToHaveCountAsync(0);
            Page.Dialog -= Accept;
            var left = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/pipelines"))!.AsArray().Select(p => p!["id"]!.GetValue<long>()).ToList();
            Assert.Contains(busy, left);
            Assert.DoesNotContain(spare, left);
        }
        finally
        {
            // The class's other tests expect the first pipeline to stay the default.
            await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Put, $"/api/pipelines/{original}", new { isDefault = true });
        }

        static async void Accept(object? sender, IDialog dialog) => await dialog.AcceptAsync();
    }

    [Fact]
    public async Task A_loss_reason_with_a_typo_is_renamed_with_its_russian_name_and_archived_after_asking()
    {
        var typo = "Too expensve " + Suffix;
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/loss-reasons", new { name = typo });
        await SignInAsAdminAsync();
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Loss reasons" }).ClickAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = $"Edit “{typo}”" }).ClickAsync();
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Too expensive " + Suffix);
        await Page.GetByLabel("Name in Russian").FillAsync("Дорого " + Suffix);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var row = Page.Locator(".admin-list li").Filter(new() { HasText = "Too expensive " + Suffix });
        await Expect(row).ToContainTextAsync("Дорого " + Suffix);

        // Archiving asks first; dismissed, nothing changes; accepted, the reason leaves the list.
        Page.Dialog += DismissOnce;
        await row.GetByRole(AriaRole.Button, new() { Name = $"Archive “Too expensive {Suffix}”" }).ClickAsync();
        await Expect(row).ToBeVisibleAsync();
        Page.Dialog -= DismissOnce;
        Page.Dialog += Accept;
        await row.GetByRole(AriaRole.Button, new() { Name = $"Archive “Too expensive {Suffix}”" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Page.Dialog -= Accept;
        var offered = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/loss-reasons"))!.AsArray();
        Assert.DoesNotContain(offered, r => r!["name"]!.GetValue<string>().EndsWith(Suffix, StringComparison.Ordinal));

        static async void DismissOnce(object? sender, IDialog dialog) => await dialog.DismissAsync();
        static async void Accept(object? sender, IDialog dialog) => await dialog.AcceptAsync();
    }

    [Fact]
    public async Task A_refused_rename_of_a_lead_status_keeps_the_form_open_with_what_was_typed()
    {
        var taken = "Taken " + Suffix;
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/lead-statuses", new { name = taken });
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/lead-statuses", new { name = "Other " + Suffix });
        await SignInAsAdminAsync();
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Lead statuses" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Edit “Other {Suffix}”" }).ClickAsync();
        var name = Page.GetByLabel("Name", new() { Exact = true });
        await name.FillAsync(taken.ToUpperInvariant());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        // The name is taken: said so, and the form stays with the typed name to correct (it closed and dropped it).
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("already exists");
        await Expect(name).ToHaveValueAsync(taken.ToUpperInvariant());
    }

    [Fact]
    public async Task Lead_statuses_and_junk_reasons_are_kept_in_their_own_tabs_with_russian_names()
    {
        await SignInAsAdminAsync();
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Lead statuses" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/leadStatuses$"));
        var status = "Awaiting payment " + Suffix;
        await Page.GetByLabel("New lead status").FillAsync(status);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var row = Page.Locator(".admin-list[data-catalog='leadStatuses'] li").Filter(new() { HasText = status });
        await Expect(row).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = $"Edit “{status}”" }).ClickAsync();
        await Page.GetByLabel("Name in Russian").FillAsync("Ждём оплату " + Suffix);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Ждём оплату " + Suffix);
        var stored = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/lead-statuses"))!.AsArray().Single(e => e!["name"]!.GetValue<string>() == status)!;
        Assert.Equal("Ждём оплату " + Suffix, stored["nameRu"]!.GetValue<string>());

        // Junk reasons: its own list; archiving asks, and an archived reason can be restored.
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Junk reasons" }).ClickAsync();
        var reason = "Wrong number " + Suffix;
        await Page.GetByLabel("New junk reason").FillAsync(reason);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var junk = Page.Locator(".admin-list[data-catalog='junkReasons'] li").Filter(new() { HasText = reason });
        await Expect(junk).ToBeVisibleAsync();
        await Expect(Page.Locator(".admin-list li").Filter(new() { HasText = status })).ToHaveCountAsync(0);
        Page.Dialog += Accept;
        await junk.GetByRole(AriaRole.Button, new() { Name = $"Archive “{reason}”" }).ClickAsync();
        await Expect(junk).ToHaveCountAsync(0);
        Page.Dialog -= Accept;
        Assert.DoesNotContain((await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/junk-reasons"))!.AsArray(), e => e!["name"]!.GetValue<string>() == reason);
        await Page.GetByLabel("Show archived").CheckAsync();
        await junk.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Expect(junk).ToHaveCountAsync(0);
        Assert.Contains((await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/junk-reasons"))!.AsArray(), e => e!["name"]!.GetValue<string>() == reason);

        static async void Accept(object? sender, IDialog dialog) => await dialog.AcceptAsync();
    }

    private async Task SignInAsAdminAsync()
    {
        await Fx.OpenSignedInAsync(Page, "admin@test.local", "admin-password-1", "/admin");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Admin" })).ToBeVisibleAsync();
    }

    private async Task<JsonNode> UserAsync(string email) =>
        (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/users"))!.AsArray().Single(u => u!["email"]!.GetValue<string>() == email)!;

    private async Task<JsonNode> ChannelAsync(long id) => (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/channels/{id}"))!;
}
