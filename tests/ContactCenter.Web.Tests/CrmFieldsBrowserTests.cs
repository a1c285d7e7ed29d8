using System.Text;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>Custom fields of contacts and companies in real Chromium (issue #17): mapped from a CSV column on import, edited on a company card.</summary>
public sealed class CrmFieldsBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    /// <summary>The admin's custom fields tab: one field of <paramref name="entity"/> ("Contacts", "Companies"); then a manager to use it.</summary>
    private async Task<(string Key, string Label, AppFixture.TestUser Manager)> DefineFieldAsync(string entity, string label, string key)
    {
        key += "_" + Suffix;
        label += " " + Suffix;
        await Fx.OpenSignedInAsync(Page, "admin@test.local", "admin-password-1", path: "/admin/customFields");
        var create = Page.Locator(".custom-fields-admin form").First;
        await create.GetByLabel("For").SelectOptionAsync(new SelectOptionValue { Label = entity });
        await create.GetByLabel("Label").FillAsync(label);
        await create.GetByLabel("Key").FillAsync(key);
        await create.GetByRole(AriaRole.Button, new() { Name = "Add field" }).ClickAsync();
        await Expect(Page.Locator($"[data-field-row='{key}']")).ToBeVisibleAsync();
        return (key, label, await Fx.CreateUserAsync("cf" + key.Replace("_", ""), "manager"));
    }

    private static Task<bool> FitsAsync(IPage page) => page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= innerWidth");

    [Fact]
    public async Task An_admin_defines_a_contact_field_a_CSV_column_mapped_to_it_in_the_import_fills_it_on_the_contact_card()
    {
        var (key, label, manager) = await DefineFieldAsync("Contacts", "Город", "city");
        var email = $"ivan-{Suffix}@example.com";
        var csv = Encoding.UTF8.GetBytes($"Name,Email,Город\nIvan {Suffix},{email},Казань\n");

        var page = await Fx.NewPageAsync();
        await Fx.OpenSignedInAsync(page, manager.Email, path: "/contacts/import");
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "people.csv", MimeType = "text/csv", Buffer = csv });
        await Expect(page.GetByTestId("import-preview")).ToContainTextAsync("Казань");
        var map = page.GetByRole(AriaRole.Group, new() { Name = "Custom fields" }).GetByLabel($"Column for {label}");
        await map.SelectOptionAsync(new SelectOptionValue { Label = "Город" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("import-summary")).ToHaveTextAsync("Done: 1 created, 0 merged, 0 refused", new() { Timeout = 60_000 });

        var contact = (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/contacts?q={Uri.EscapeDataString(email)}"))!["items"]![0]!["id"]!.GetValue<long>();
        Assert.Equal("Казань", (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/contacts/{contact}"))!["fields"]![key]!.GetValue<string>());
        await page.GotoAsync($"{Fx.BaseUrl}/contacts/{contact}");
        await Expect(page.GetByTestId("custom-fields-contact").GetByLabel(label, new() { Exact = true })).ToHaveValueAsync("Казань");

        // In Russian and on a phone: the custom fields group of the column map, nothing wider than the screen.
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await page.GotoAsync($"{Fx.BaseUrl}/contacts/import");
        await page.SetViewportSizeAsync(390, 844);
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "people.csv", MimeType = "text/csv", Buffer = csv });
        var group = page.GetByRole(AriaRole.Group, new() { Name = "Дополнительные поля" });
        await Expect(group.GetByLabel($"Столбец для поля «{label}»")).ToBeVisibleAsync();
        Assert.True(await FitsAsync(page), "the import page with custom fields scrolls sideways at 390x844");
        await page.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ArtifactsDir, "import-custom-fields-ru-phone.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_defines_a_company_field_and_a_manager_edits_it_on_a_company_and_sees_it_after_reload()
    {
        var (key, label, manager) = await DefineFieldAsync("Companies", "INN", "inn");
        var company = (await Fx.ApiAsync(manager.Token, HttpMethod.Post, "/api/companies", new { name = "ООО Ромашка " + Suffix }))!["id"]!.GetValue<long>();

        var page = await Fx.NewPageAsync();
        await Fx.OpenSignedInAsync(page, manager.Email, path: "/companies");
        await page.GetByRole(AriaRole.Link, new() { Name = "ООО Ромашка " + Suffix }).ClickAsync();
        var input = page.GetByTestId("custom-fields-company").GetByLabel(label, new() { Exact = true });
        await input.FillAsync("7701234567");
        var saved = await page.RunAndWaitForResponseAsync(() => input.PressAsync("Enter"),
            r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/api/companies/{company}", StringComparison.Ordinal));
        Assert.Equal(200, saved.Status);
        Assert.Equal("7701234567", (await Fx.ApiAsync(manager.Token, HttpMethod.Get, $"/api/companies/{company}"))!["fields"]![key]!.GetValue<string>());

        await page.ReloadAsync();
        await Expect(page.GetByTestId("custom-fields-company").GetByLabel(label, new() { Exact = true })).ToHaveValueAsync("7701234567");

        // Russian once, then a phone: the group's legend, the value, no sideways scrolling.
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await page.SetViewportSizeAsync(390, 844);
        var group = page.GetByRole(AriaRole.Group, new() { Name = "Дополнительные поля" });
        await Expect(group.GetByLabel(label, new() { Exact = true })).ToHaveValueAsync("7701234567");
        Assert.True(await FitsAsync(page), "the company card scrolls sideways at 390x844");
        await page.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ArtifactsDir, "company-fields-ru-phone.png") });
        await page.Context.CloseAsync();
    }
}
