using System.Text;
using System.Text.Json;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>Contacts, companies and CSV import (issue #17) in Chromium against the real server.</summary>
public sealed class ContactsBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    private async Task<long> ContactOfAsync(AppFixture.ApiChannel channel, string key, string name)
    {
        var conversation = (await Fx.IngestAsync(channel, "m-" + key, key, "hello from " + name, name))["conversationId"]!.GetValue<long>();
        return (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/conversations/{conversation}"))!["contact"]!["id"]!.GetValue<long>();
    }

    [Fact]
    public async Task Merging_two_contacts_on_the_card_shows_one_timeline_with_both_conversations()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Merge " + Suffix);
        var manager = await Fx.CreateUserAsync("merger" + Suffix, "manager", channel.Id);
        var keep = await ContactOfAsync(channel, "keep-" + Suffix, "Olga Keep " + Suffix);
        var other = await ContactOfAsync(channel, "other-" + Suffix, "Olga Other " + Suffix);

        await Fx.OpenSignedInAsync(Page, manager.Email, path: $"/contacts/{keep}");
        await Expect(Page.GetByTestId("contact-card-name")).ToHaveTextAsync("Olga Keep " + Suffix);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Merge with another contact" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Searchbox).FillAsync("Olga Other " + Suffix);
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "Olga Other " + Suffix }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).ClickAsync();

        await Expect(Page.GetByTestId("contact-conversations").Locator("li")).ToHaveCountAsync(2);
        var timeline = Page.GetByTestId("contact-timeline");
        await Expect(timeline).ToContainTextAsync($"Merged Olga Other {Suffix} into Olga Keep {Suffix}");
        await Expect(timeline.Locator("li[data-type='message']")).ToHaveCountAsync(2);
        await Screenshot("contact-merged");
        // In Russian the system's entries (the leads the messages opened) name it in Russian, as the deal's history does.
        await Page.EvaluateAsync("() => localStorage.setItem('cc.lang', 'ru')");
        await Page.ReloadAsync();
        await Expect(timeline.Locator("li[data-type='created']").First).ToContainTextAsync("Система");
        await Expect(timeline).Not.ToContainTextAsync("System");
        using var http = Fx.App.Http(manager.Token);
        await (await http.GetAsync($"/api/contacts/{other}")).ProblemAsync(System.Net.HttpStatusCode.NotFound); // merged away
    }

    [Fact]
    public async Task Importing_a_thousand_row_CSV_shows_live_progress_and_the_row_report()
    {
        var manager = await Fx.CreateUserAsync("importer" + Suffix, "manager");
        var csv = new StringBuilder("Name,Email,Phone\n");
        for (var i = 0; i < 1000; i++)
        {
            csv.Append((i % 10) switch
            {
                8 => $"Twin {i},IMP{i - 8}-{Suffix}@EXAMPLE.COM,\n",
                9 => $"Broken {i},broken-{i},\n",
                _ => $"Person {i},imp{i}-{Suffix}@example.com,\n",
            });
        }

        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/contacts");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Import CSV" }).ClickAsync();
        await Page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "people.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await Expect(Page.GetByTestId("import-preview")).ToContainTextAsync("Person 0");
        await Expect(Page.GetByText("Preview (utf-8, “,”, 1001 rows)")).ToBeVisibleAsync();
        // The columns were guessed from the header.
        await Expect(Page.GetByTestId("map-email")).ToHaveValueAsync("1");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();

        await Expect(Page.GetByTestId("import-summary")).ToHaveTextAsync("Done: 800 created, 100 merged, 100 refused", new() { Timeout = 60_000 });
        var report = Page.GetByTestId("import-report");
        await Expect(report.Locator("tbody tr")).ToHaveCountAsync(1000);
        await Expect(report.Locator("tbody tr").Nth(9)).ToContainTextAsync("refused");
        await Expect(report.Locator("tbody tr").Nth(9)).ToContainTextAsync("\"broken-9\" is not an email address.");
        await Expect(report.Locator("tbody tr").Nth(8)).ToContainTextAsync("merged");
        await Screenshot("import-report");
    }

    [Fact]
    public async Task The_contacts_list_card_and_import_fit_a_390_px_phone()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Phone " + Suffix);
        var manager = await Fx.CreateUserAsync("phone" + Suffix, "manager", channel.Id);
        var contact = await ContactOfAsync(channel, "ph-" + Suffix, "Valentina Very-Long-Surname-For-A-Narrow-Screen " + Suffix);
        await Fx.ApiAsync(manager.Token, HttpMethod.Patch, $"/api/contacts/{contact}", new { email = $"valentina.very.long.address.{Suffix}@example-company-domain.com" });
        var context = await Fx.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "en-GB", IsMobile = true, HasTouch = true });
        context.SetDefaultTimeout(15_000);
        var phone = await context.NewPageAsync();
        try
        {
            await phone.GotoAsync(Fx.BaseUrl + "/contacts");
            await phone.GetByLabel("Email").FillAsync(manager.Email);
            await phone.GetByLabel("Password").FillAsync("password-1234");
            await phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(phone.GetByTestId("contact-row")).ToHaveCountAsync(1);
            await Expect(phone.GetByRole(AriaRole.Searchbox, new() { Name = "Search by name, email or phone" })).ToBeInViewportAsync();
            await AssertFitsAsync(phone, "contacts list");
            await phone.GetByTestId("contact-row").GetByRole(AriaRole.Link).ClickAsync();
            await Expect(phone.GetByTestId("contact-card")).ToBeVisibleAsync();
            await Expect(phone.GetByTestId("contact-timeline").Locator("li").First).ToBeVisibleAsync();
            await AssertFitsAsync(phone, "contact card");
            await phone.GotoAsync(Fx.BaseUrl + "/contacts/import");
            await phone.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "p.csv", MimeType = "text/csv", Buffer = "Name;Email;Phone;Company\nA very long name of somebody;a@example.com;+14155550100;Some company with a long name\n"u8.ToArray() });
            await Expect(phone.GetByTestId("import-preview")).ToBeVisibleAsync();
            await AssertFitsAsync(phone, "import");
            await phone.GotoAsync(Fx.BaseUrl + "/companies");
            await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Companies" })).ToBeVisibleAsync();
            await AssertFitsAsync(phone, "companies");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Nothing scrolls sideways: neither the document nor the app's main area.</summary>
    private static async Task AssertFitsAsync(IPage page, string screen)
    {
        var m = await page.EvaluateAsync<JsonElement>("""
            () => { const m = document.querySelector('main.content');
                    return { doc: document.documentElement.scrollWidth, inner: window.innerWidth, main: m ? m.scrollWidth - m.clientWidth : 0 }; }
            """);
        Assert.True(m.GetProperty("doc").GetDouble() <= m.GetProperty("inner").GetDouble(), $"{screen}: the page scrolls sideways: {m}");
        Assert.True(m.GetProperty("main").GetDouble() <= 0, $"{screen}: the main area scrolls sideways: {m}");
    }
}
