using System.Net.Sockets;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using WireMock.Server;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// The channel wizard in Chromium against the real server: each existing kind is created through it (in English or
/// Russian), the URLs shown are the server's `public` values (its public address, not the browser's), copy buttons
/// fill the clipboard, a failing credential check reads as one, and a manager picked in the members step sees the
/// channel's first conversation live.
/// </summary>
public sealed partial class ChannelWizardBrowserTests(ChannelWizardFixture fx) : IClassFixture<ChannelWizardFixture>, IAsyncLifetime
{
    private readonly string suffix = Guid.NewGuid().ToString("N")[..8];
    private IBrowserContext context = null!;
    private IPage page = null!;
    private WireMockServer? provider;

    public async Task InitializeAsync()
    {
        context = await fx.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, Locale = "en-GB",
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.SetDefaultTimeout(15_000);
        page = await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await context.CloseAsync();
        provider?.Stop();
    }

    [Fact]
    public async Task Editing_replaces_a_secret_write_only_and_sets_SLA_and_business_hours_and_a_channel_with_conversations_is_archived_not_deleted()
    {
        var channel = await fx.CreateApiChannelAsync(null, "Edit me " + suffix);
        var empty = await fx.CreateApiChannelAsync(null, "Empty " + suffix);
        await fx.IngestAsync(channel, "e-1-" + suffix, "cust-" + suffix, "hi");
        await fx.OpenSignedInAsync(page, "admin@test.local", "admin-password-1", "/admin");
        var item = page.Locator($".channel-list li[data-channel-id='{channel.Id}']");
        await item.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        var editor = page.Locator(".channel-editor");
        await Expect(editor.Locator("[data-field='secret'] .secret-state")).ToHaveTextAsync("Signing secret: set");
        await editor.GetByLabel("First response within (seconds)").FillAsync("120");
        await editor.GetByLabel("Measure response times within business hours").CheckAsync();
        await editor.GetByLabel("Time zone").FillAsync("Europe/Moscow");
        await editor.GetByLabel("Saturday: working day").UncheckAsync();
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(editor.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved." })).ToBeVisibleAsync();
        var stored = await ChannelAsync(channel.Id);
        Assert.Equal(120, stored["settings"]!["sla"]!["firstResponseSeconds"]!.GetValue<int>());
        Assert.Equal("Europe/Moscow", stored["settings"]!["businessHours"]!["timeZone"]!.GetValue<string>());
        Assert.Null(stored["settings"]!["businessHours"]!["week"]!["sat"]);
        Assert.Equal("09:00", stored["settings"]!["businessHours"]!["week"]!["mon"]![0]![0]!.GetValue<string>());
        // The secret was not sent: the integration's old one still signs.
        await fx.IngestAsync(channel, "e-2-" + suffix, "cust-" + suffix, "still signed with the old secret");

        var newSecret = "replaced-secret-" + suffix;
        await editor.Locator("[data-field='secret']").GetByRole(AriaRole.Button, new() { Name = "Replace" }).ClickAsync();
        await editor.GetByLabel("Signing secret").FillAsync(newSecret);
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(editor.Locator("[data-field='secret'] .secret-state")).ToHaveTextAsync("Signing secret: set");
        var old = await fx.PostInboundAsync(channel, AppFixture.InboundBody("e-3-" + suffix, "cust-" + suffix, "old"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, old.StatusCode);
        await fx.IngestAsync(new AppFixture.ApiChannel(channel.Id, newSecret), "e-4-" + suffix, "cust-" + suffix, "new secret");
        await Expect(page.Locator("body")).Not.ToContainTextAsync(newSecret);

        // Delete: refused for a channel with conversations, which is archived instead.
        await item.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("has conversations, so it cannot be deleted");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Archive instead" }).ClickAsync();
        await Expect(item).ToHaveCountAsync(0);
        Assert.NotNull((await ChannelAsync(channel.Id))["archivedAt"]);
        await page.GetByLabel("Show archived channels").CheckAsync();
        await Expect(item).ToContainTextAsync("archived");
        await page.GetByLabel("Show archived channels").UncheckAsync();

        var emptyItem = page.Locator($".channel-list li[data-channel-id='{empty.Id}']");
        await emptyItem.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(emptyItem).ToHaveCountAsync(0);
        using var http = fx.App.Http(fx.AdminToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"/api/channels/{empty.Id}")).StatusCode);
    }

    [Fact]
    public async Task Business_hours_out_of_hours_reply_acknowledgement_and_CSAT_are_set_while_creating_the_channel()
    {
        await OpenWizardAsync();
        await ChooseKindAsync("API integration");
        await page.GetByLabel("Channel name").FillAsync("Auto " + suffix);
        await page.GetByLabel("Signing secret").FillAsync("wizard-secret-auto-" + suffix);
        // An out-of-hours reply needs business hours: set in the same step.
        await page.Locator(".channel-wizard .rules-fields").GetByLabel("Measure response times within business hours").CheckAsync();
        var auto = page.Locator(".channel-wizard [data-testid='auto-messages']");
        await auto.Locator("input[name='outOfHoursReply']").CheckAsync();
        await auto.Locator("textarea[name='outOfHoursText']").FillAsync("We are closed; back at 9.");
        await auto.Locator("input[name='acknowledgement']").CheckAsync();
        await auto.Locator("textarea[name='acknowledgementText']").FillAsync("Got it, thanks!");
        await auto.Locator("input[name='csat']").CheckAsync();
        await auto.Locator("input[name='csatQuestion']").FillAsync("How did we do today?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();

        await Expect(page.Locator(".check-ok")).ToContainTextAsync("no credentials to check");
        var settings = (await ChannelNamedAsync("Auto " + suffix))["settings"]!;
        Assert.NotNull(settings["businessHours"]?["week"]);
        Assert.True(settings["outOfHoursReply"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("We are closed; back at 9.", settings["outOfHoursReply"]!["text"]!.GetValue<string>());
        Assert.True(settings["acknowledgement"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("Got it, thanks!", settings["acknowledgement"]!["text"]!.GetValue<string>());
        Assert.True(settings["csat"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("How did we do today?", settings["csat"]!["question"]!.GetValue<string>());
    }

    private async Task FillAsync(Dictionary<string, string> fields)
    {
        await OpenAdvancedAsync();
        foreach (var (label, value) in fields)
        {
            await page.Locator(".settings-fields").GetByLabel(label, new() { Exact = false }).First.FillAsync(value);
        }
    }

    /// <summary>The check passed (server and screen agree), and the paste step shows the server's URL on the given address.</summary>
    private async Task ExpectCreatedAsync(string name, string publicKey, string baseUrl, string next)
    {
        await Expect(page.Locator(".check-ok")).ToBeVisibleAsync();
        var channel = await ChannelNamedAsync(name);
        Assert.Null(channel["statusError"]);
        Assert.Null(channel["settings"]?["accessToken"] ?? channel["settings"]?["authToken"] ?? channel["settings"]?["appSecret"]);
        await page.GetByRole(AriaRole.Button, new() { Name = next, Exact = true }).ClickAsync();
        var url = (await ChannelAsync(channel["id"]!.GetValue<long>()))["public"]![publicKey]!.GetValue<string>();
        Assert.StartsWith(baseUrl, url, StringComparison.Ordinal);
        await Expect(page.Locator($"[data-public-key='{publicKey}'] input")).ToHaveValueAsync(url);
        await fx.ApiAsync(fx.AdminToken, HttpMethod.Patch, $"/api/channels/{channel["id"]}", new { enabled = false });
        await page.GotoAsync(page.Url);
    }

    [Fact]
    public async Task On_a_390_px_phone_every_step_of_the_wizard_fits_without_sideways_scrolling()
    {
        await page.SetViewportSizeAsync(390, 844);
        await OpenWizardAsync();
        await AssertFitsAsync();
        await ChooseKindAsync("Web form");
        await AssertFitsAsync();
        await page.GetByLabel("Channel name").FillAsync("Phone form " + suffix + " with a rather long name that must wrap on a small screen");
        await page.GetByLabel("Sites allowed to post it").FillAsync("https://a-very-long-shop-domain-name.example, https://another-long-domain.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and check" }).ClickAsync();
        await Expect(page.Locator(".check-ok")).ToBeVisibleAsync();
        await AssertFitsAsync();
        await Next();
        await Expect(page.Locator("[data-public-key='embedHtml'] textarea")).ToBeVisibleAsync();
        await AssertFitsAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ArtifactsDir, "wizard-paste-390.png"), FullPage = true });
        await Next();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add all managers" })).ToBeVisibleAsync();
        await AssertFitsAsync();
    }

    private async Task AssertKindFieldsAsync(Dictionary<string, string[]> kinds, string next, string back, string advanced)
    {
        foreach (var (kind, labels) in kinds)
        {
            await ChooseKindAsync(kind, next);
            await Expect(page.Locator("details.advanced summary")).ToHaveTextAsync(advanced);
            await OpenAdvancedAsync();
            foreach (var label in labels)
            {
                await Expect(page.Locator(".settings-fields").GetByLabel(label, new() { Exact = false }).First).ToBeVisibleAsync();
            }
            await Expect(page.Locator(".settings-fields .help").First).Not.ToBeEmptyAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = back, Exact = true }).ClickAsync();
        }
    }

    private async Task OpenWizardAsync()
    {
        if (!page.Url.Contains("/admin", StringComparison.Ordinal))
        {
            await fx.OpenSignedInAsync(page, "admin@test.local", "admin-password-1", "/admin");
        }
        var open = page.Locator(".channels-tab > .row button.primary");
        await open.ClickAsync();
        await Expect(page.Locator(".channel-wizard")).ToBeVisibleAsync();
    }

    private async Task ChooseKindAsync(string kind, string next = "Next")
    {
        await page.GetByRole(AriaRole.Radio, new() { Name = kind }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = next, Exact = true }).ClickAsync();
        await Expect(page.Locator(".settings-fields")).ToBeVisibleAsync();
    }

    private Task OpenAdvancedAsync() => page.Locator("details.advanced").EvaluateAsync("d => { d.open = true; }");

    private Task Next() => page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();

    private async Task ToRussianAsync()
    {
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
    }

    private async Task<string> ClipboardAsync() => await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");

    private async Task<JsonNode> ChannelNamedAsync(string name) =>
        (await fx.ApiAsync(fx.AdminToken, HttpMethod.Get, "/api/channels"))!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;

    private async Task<JsonNode> ChannelAsync(long id) => (await fx.ApiAsync(fx.AdminToken, HttpMethod.Get, $"/api/channels/{id}"))!;

    private async Task AssertFitsAsync()
    {
        var widths = await page.EvaluateAsync<int[]>(
            "() => { const m = document.querySelector('main.content'); return [document.documentElement.scrollWidth, window.innerWidth, m.scrollWidth, m.clientWidth]; }");
        Assert.True(widths[0] <= widths[1] && widths[2] <= widths[3], $"wider than the screen: document {widths[0]}/{widths[1]}, main {widths[2]}/{widths[3]}");
    }

    private Task Screenshot(string name) => page.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ArtifactsDir, $"{name}.png") });

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
