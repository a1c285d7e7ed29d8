using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>Custom fields and the deals list (issue #17) in real Chromium: define, fill, filter, export, phone size.</summary>
public sealed class FieldsBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task An_admin_defines_a_field_a_manager_fills_it_on_a_deal_filters_the_list_by_it_and_the_csv_has_the_value()
    {
        var key = "city_" + Suffix;
        var label = "City " + Suffix;
        const string value = "Москва; \"центр\"";
        await Fx.OpenSignedInAsync(Page, "admin@test.local", "admin-password-1", path: "/admin/customFields");
        var create = Page.Locator(".custom-fields-admin form").First;
        await create.GetByLabel("Label").FillAsync(label);
        await create.GetByLabel("Key").FillAsync(key);
        await create.GetByRole(AriaRole.Button, new() { Name = "Add field" }).ClickAsync();
        await Expect(Page.Locator($"[data-field-row='{key}']")).ToBeVisibleAsync();

        var channel = await Fx.CreateApiChannelAsync(null, "Fields " + Suffix);
        var manager = await Fx.CreateUserAsync("fields" + Suffix, "manager", channel.Id);
        var conversationId = (await Fx.IngestAsync(channel, "f-" + Suffix, "cust-f" + Suffix, "Need a quote", "Fields Buyer"))["conversationId"]!.ToString();
        var other = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/deals", new { title = "Other deal " + Suffix }))!["id"]!.GetValue<long>();

        var phone = await Fx.NewPageAsync();
        await Fx.OpenSignedInAsync(phone, manager.Email, path: $"/inbox/{conversationId}");
        var side = phone.GetByRole(AriaRole.Complementary, new() { Name = "Details" });
        await side.GetByRole(AriaRole.Button, new() { Name = "Convert to deal" }).ClickAsync();
        await Expect(side.GetByRole(AriaRole.Heading, new() { Name = "Deal" })).ToBeVisibleAsync();
        var dealId = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/conversations/{conversationId}"))!["dealId"]!.GetValue<long>();
        await side.GetByLabel(label, new() { Exact = true }).FillAsync(value);
        var saved = await phone.RunAndWaitForResponseAsync(() => side.GetByLabel(label, new() { Exact = true }).PressAsync("Enter"),
            r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/api/deals/{dealId}", StringComparison.Ordinal));
        Assert.Equal(200, saved.Status);
        Assert.Equal(value, (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/deals/{dealId}"))!["fields"]![key]!.GetValue<string>());

        // The list, filtered by the field: only that deal; the column chooser shows the value.
        await phone.GetByRole(AriaRole.Link, new() { Name = "Deals", Exact = true }).ClickAsync();
        await phone.GetByRole(AriaRole.Link, new() { Name = "List", Exact = true }).ClickAsync();
        var list = phone.GetByTestId("deal-list");
        await Expect(list.Locator($"tr[data-deal-id='{other}']")).ToBeVisibleAsync();
        var filter = list.GetByLabel("Filter by " + label);
        await filter.FillAsync(value);
        await filter.PressAsync("Enter");
        await Expect(list.Locator($"tr[data-deal-id='{other}']")).ToHaveCountAsync(0);
        var row = list.Locator($"tr[data-deal-id='{dealId}']");
        await Expect(row).ToBeVisibleAsync();
        await list.GetByRole(AriaRole.Button, new() { Name = "Columns" }).ClickAsync();
        await list.GetByRole(AriaRole.Group, new() { Name = "Columns" }).GetByLabel(label).CheckAsync();
        await Expect(row.Locator($"td[data-col='field.{key}']")).ToHaveTextAsync(value);
        await Expect(row.GetByRole(AriaRole.Progressbar)).ToBeVisibleAsync();

        var download = await phone.RunAndWaitForDownloadAsync(() => list.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync());
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var csv = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, csv.Length); // the header and exactly the filtered deal
        Assert.EndsWith("," + label, csv[0]);
        Assert.EndsWith(",\"Москва; \"\"центр\"\"\"", csv[1]);

        // The same list on a phone: one card per row, nothing wider than the screen.
        await phone.SetViewportSizeAsync(390, 844);
        await Expect(row).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth"), "the deals list scrolls sideways at 390x844");
        await phone.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ArtifactsDir, "deal-list-phone.png") });
        await phone.Context.CloseAsync();
    }
}
