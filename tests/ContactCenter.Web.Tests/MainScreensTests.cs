using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// A working day made through the real routes (customers writing, managers answering, deals and activities), then
/// each main screen checked and photographed. The pictures go to the test output (bin/.../screens), or to
/// CC_SCREENSHOTS_DIR when set: scripts/screenshots.sh writes docs/screenshots that way.
/// </summary>
public sealed class MainScreensTests(WebAppFixture fx) : BrowserTest(fx)
{
    private const string SiteOrigin = "http://localhost:5080";

    private static readonly string ShotsDir = Environment.GetEnvironmentVariable("CC_SCREENSHOTS_DIR") is { Length: > 0 } dir ? dir : WebAppFixture.ArtifactsDir;

    [Fact]
    public async Task The_main_screens_show_a_working_day_and_are_kept_as_screenshots()
    {
        var day = await SeedWorkingDayAsync();

        await Page.GotoAsync(Fx.BaseUrl + "/");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Page.GetByLabel("Email").FillAsync("manager1@demo.local");
        await ShotAsync("01-sign-in");

        // The manager's inbox with Ben's conversation open: a reply with a file answering one message, a note, the deal.
        await Fx.SignInAsync(Page, "manager1@demo.local", path: $"/inbox/{day.BenConversation}");
        var thread = Page.GetByRole(AriaRole.Region, new() { Name = "Messages" });
        var reply = thread.Locator(".message.outbound").Filter(new() { HasText = "here is our price list" });
        await Expect(reply).ToHaveAttributeAsync("data-status", "sent");
        await Expect(reply.GetByTestId("reply-quote")).ToContainTextAsync("a quote for 20 licences");
        await Expect(reply.Locator(".attachment")).ToContainTextAsync("price-list.pdf");
        await Expect(thread.Locator(".message.note")).ToContainTextAsync("two vendors");
        var side = Page.GetByRole(AriaRole.Complementary, new() { Name = "Details" });
        await Expect(side.Locator(".activities .activity.overdue")).ToContainTextAsync("Call Ben about the discount");
        await Expect(Page.Locator(".conversation [data-testid='unread-badge']").First).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Yes: annual billing saves 15%. ");
        await ShotAsync("02-inbox");

        await Page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Выйти" })).ToBeVisibleAsync();
        await Expect(Page.Locator("aside.side .activities .activity.overdue")).ToContainTextAsync("Просрочено");
        await ShotAsync("07-inbox-ru");
        await Page.GetByRole(AriaRole.Combobox, new() { Name = "Язык" }).SelectOptionAsync("en");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Deals" }).ClickAsync();
        var proposal = Page.Locator($".board .column[data-stage-id='{day.Stages["Proposal"]}']");
        await Expect(proposal.GetByTestId("column-count")).ToHaveTextAsync("Deals: 1");
        await Expect(proposal.GetByTestId("column-total")).ToHaveTextAsync("Total €4,800");
        await Expect(Page.Locator($".board .column[data-stage-id='{day.Stages["New"]}'] .card")).ToHaveCountAsync(2);
        await ShotAsync("03-deals");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Activities" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Tabpanel).Locator(".activity.overdue")).ToContainTextAsync("Call Ben about the discount");
        await Expect(Page.Locator(".calendar .cal-item").First).ToBeVisibleAsync();
        await ShotAsync("04-activities");
        await SignOutAsync();

        // The chart's "today" is the day the working day's answers were stamped with: the browser's clock is set to the
        // last of them (a run that passes midnight after them still finds their day at the end of the chart).
        DateTime answeredAt;
        await using (var db = Fx.Db())
        {
            answeredAt = await db.ExecuteScalarAsync<DateTime>(
                "select max(created_at) from messages where conversation_id = @BenConversation and direction = 'outbound'", new { day.BenConversation });
        }
        await Page.Clock.InstallAsync(new() { TimeDate = DateTime.SpecifyKind(answeredAt, DateTimeKind.Utc) });
        await Page.Clock.ResumeAsync();
        await Fx.SignInAsync(Page, "supervisor@demo.local", path: "/supervisor");
        await Expect(Page.GetByTestId("queue-waiting")).ToHaveTextAsync("3");
        var byManager = Page.Locator("table.stats").Filter(new() { Has = Page.Locator("caption", new() { HasText = "By manager" }) });
        await Expect(byManager.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(byManager.Locator("tbody tr").Filter(new() { HasText = "Max Manager" }).Locator("td").Nth(6)).ToHaveTextAsync("100%");
        await Expect(byManager.Locator("tbody tr").Filter(new() { HasText = "Max Manager" }).Locator("td").Nth(7)).Not.ToHaveTextAsync("—");
        await Expect(Page.Locator($"figure.chart g.point[data-day='{answeredAt:yyyy-MM-dd}'] rect")).Not.ToHaveAttributeAsync("height", "0");
        await ShotAsync("05-supervisor");
        await SignOutAsync();

        await Fx.SignInAsync(Page, "admin@demo.local", "admin-password-1", "/admin");
        await Expect(Page.Locator("code").Filter(new() { HasText = $"/api/inbound/{day.ApiChannel}" })).ToBeVisibleAsync();
        await Expect(Page.GetByText("Website chat").First).ToBeVisibleAsync();
        await ShotAsync("06-admin");

        // The contact profile (a drawer on a wide screen) and the keyboard shortcuts, over Ben's conversation.
        await Page.GotoAsync(Fx.BaseUrl + $"/inbox/{day.BenConversation}");
        await Page.GetByTestId("open-profile").ClickAsync();
        await Expect(Page.GetByTestId("contact-profile").Locator(".profile-list li").First).ToBeVisibleAsync();
        await ShotAsync("08-profile");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByTestId("contact-profile")).ToHaveCountAsync(0);
        await Page.Keyboard.PressAsync("?");
        await Expect(Page.GetByTestId("shortcuts-dialog")).ToBeVisibleAsync();
        await ShotAsync("12-shortcuts");
        await Page.Keyboard.PressAsync("Escape");

        // The same day on a 390x844 phone: the list, the thread, the header's menu.
        var phone = await Fx.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "en-GB", IsMobile = true, HasTouch = true,
        });
        try
        {
            var page = await phone.NewPageAsync();
            await page.GotoAsync(Fx.BaseUrl + "/");
            await page.GetByLabel("Email").FillAsync("manager1@demo.local");
            await page.GetByLabel("Password").FillAsync("password-1234");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            var ben = page.Locator($"[data-conversation-id='{day.BenConversation}']");
            await Expect(ben).ToBeVisibleAsync();
            await ShotAsync("09-phone-inbox", page);
            await ben.ClickAsync();
            await Expect(page.Locator(".message.outbound").Filter(new() { HasText = "here is our price list" })).ToBeVisibleAsync();
            await ShotAsync("10-phone-thread", page);
            await page.GetByTestId("thread-back").ClickAsync();
            await page.GetByTestId("menu-button").ClickAsync();
            await Expect(page.Locator(".topbar nav")).ToBeVisibleAsync();
            await ShotAsync("11-phone-menu", page);
        }
        finally
        {
            await phone.CloseAsync();
        }
    }

    private long pipelineId;

    private sealed record WorkingDay(long ApiChannel, long BenConversation, Dictionary<string, long> Stages);

    private async Task<WorkingDay> SeedWorkingDayAsync()
    {
        Callback.Given(Request.Create().WithPath("/cb").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        await using (var db = Fx.Db())
        {
            // The fixture's admin, as the demo calls it.
            await db.ExecuteAsync("update users set name = 'Ada Admin', email = 'admin@demo.local' where email = 'admin@test.local'");
        }
        var admin = await Fx.LoginAsync("admin@demo.local", "admin-password-1");
        var secret = "demo-api-secret-" + Suffix;
        var apiChannel = await Fx.CreateChannelAsync("api", "Demo API", new JsonObject
        {
            ["secret"] = secret, ["callbackUrl"] = Callback.Url + "/cb", ["sla"] = new JsonObject { ["firstResponseSeconds"] = 300 },
        });
        var api = new AppFixture.ApiChannel(apiChannel["id"]!.GetValue<long>(), secret);
        var chat = await Fx.CreateChannelAsync("webchat", "Website chat", new JsonObject
        {
            ["allowedOrigins"] = new JsonArray(SiteOrigin), ["greeting"] = "Hi! How can we help?",
        });
        var chatId = chat["id"]!.GetValue<long>();
        var mia = await CreateUserAsync(admin, "manager1@demo.local", "Mia Manager", "manager", api.Id, chatId);
        var max = await CreateUserAsync(admin, "manager2@demo.local", "Max Manager", "manager", api.Id, chatId);
        await CreateUserAsync(admin, "supervisor@demo.local", "Sam Supervisor", "supervisor");

        var anna = await Fx.IngestAsync(api, "d-1", "sim-anna", "Hi! Do you deliver to Berlin?", "Anna Petrova");
        var ben = await Fx.IngestAsync(api, "d-2", "sim-ben", "Hello, I'd like a quote for 20 licences.", "Ben Carter");
        await Fx.IngestAsync(api, "d-3", "sim-dmitry", "Здравствуйте! Сколько стоит доставка в Казань?", "Dmitry Ivanov");
        await Fx.IngestAsync(api, "d-4", "sim-emma", "My order #4411 hasn't arrived yet.", "Emma Johnson");
        await Fx.IngestAsync(api, "d-5", "sim-anna", "Also, can you send it by Friday?", "Anna Petrova");
        await WebchatAsync(chat, "Grace Lee", "Do you have the blue one in size M?");
        await Task.Delay(1500); // answers take a moment, as they do

        // Mia takes Ben: a reply with the price list to his question, a note for colleagues; Max answers Anna.
        var benId = ben["conversationId"]!.GetValue<long>();
        var benMessage = ben["messageId"]!.GetValue<long>();
        using (var http = Fx.App.Http(mia.Token))
        {
            var file = await AppFixture.UploadIdAsync(http, benId, "price-list.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 price list"), "application/pdf");
            await Fx.ApiAsync(mia.Token, HttpMethod.Post, $"/api/conversations/{benId}/messages", new
            {
                text = "Hi Ben! Sure, here is our price list; 20 licences come to €4,800 a year.", attachmentIds = new[] { file }, replyToMessageId = benMessage,
            });
        }
        await Fx.ApiAsync(mia.Token, HttpMethod.Post, $"/api/conversations/{benId}/messages", new { text = "Ben's company is comparing two vendors; call on Friday.", @private = true });
        await Fx.ApiAsync(max.Token, HttpMethod.Post, $"/api/conversations/{anna["conversationId"]}/messages", new { text = "Hi Anna, yes: Berlin in 2–3 days, and by Friday if you order today." });
        await Fx.ApiAsync(max.Token, HttpMethod.Post, $"/api/conversations/{anna["conversationId"]}/status", new { status = "resolved" });
        await Fx.IngestAsync(api, "d-6", "sim-ben", "Thanks! Is there a discount for annual billing?", "Ben Carter");

        // Ben's lead becomes a deal at the proposal stage, with a call that is late and a meeting ahead.
        var pipeline = (await Fx.ApiAsync(admin, HttpMethod.Get, "/api/pipelines"))!.AsArray().Single(p => p!["isDefault"]!.GetValue<bool>())!;
        pipelineId = pipeline["id"]!.GetValue<long>();
        var stages = pipeline["stages"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!["id"]!.GetValue<long>());
        var leadId = (await Fx.ApiAsync(mia.Token, HttpMethod.Get, $"/api/conversations/{benId}"))!["leadId"]!.GetValue<long>();
        var benDeal = (await Fx.ApiAsync(mia.Token, HttpMethod.Post, $"/api/leads/{leadId}/convert",
            new { title = "20 licences, Carter Ltd", amount = 4800, currency = "EUR", assigneeId = mia.Id }))!["dealId"]!.GetValue<long>();
        await Fx.ApiAsync(mia.Token, HttpMethod.Patch, $"/api/deals/{benDeal}", new { stageId = stages["Proposal"] });
        var now = DateTimeOffset.UtcNow;
        await Activity(mia.Token, benDeal, "call", "Call Ben about the discount", now.AddHours(-3));
        await Activity(mia.Token, benDeal, "meeting", "Demo for Ben's team", now.AddDays(2).Date.AddHours(11));

        // The rest of the pipeline.
        var hugo = await Deal(admin, "Website redesign, Weber GmbH", 12000, stages["Qualification"], mia.Id);
        var farid = await Deal(admin, "Annual plan, Aliyev & Co", 2400, stages["New"], mia.Id);
        await Deal(admin, "Team licences, Ivanov LLC", 6000, stages["New"], mia.Id);
        await Deal(admin, "Support contract, E. Johnson", 1800, stages["New"], max.Id); // Max's: not on Mia's board
        var chloe = await Deal(admin, "Office chairs, Martin SARL", 3100, stages["Negotiation"], mia.Id);
        var grace = await Deal(admin, "Starter pack, G. Lee", 900, stages["New"], mia.Id);
        await Fx.ApiAsync(admin, HttpMethod.Post, $"/api/deals/{grace}/close", new { outcome = "won" });
        await Activity(mia.Token, chloe, "task", "Send the contract to Chloé", now.AddMinutes(30));
        await Activity(mia.Token, farid, "email", "Follow up on the annual plan", now.AddDays(5).Date.AddHours(9));
        await Activity(mia.Token, hugo, "meeting", "Workshop with Hugo", now.AddDays(1).Date.AddHours(14));
        return new WorkingDay(api.Id, benId, stages);
    }

    private async Task<AppFixture.TestUser> CreateUserAsync(string admin, string email, string name, string role, params long[] channelIds)
    {
        var user = (await Fx.ApiAsync(admin, HttpMethod.Post, "/api/users", new { email, name, role, password = "password-1234", channelIds }))!;
        return new AppFixture.TestUser(user["id"]!.GetValue<long>(), email, await Fx.LoginAsync(email, "password-1234"));
    }

    private async Task<long> Deal(string token, string title, decimal amount, long stageId, long assigneeId) =>
        (await Fx.ApiAsync(token, HttpMethod.Post, "/api/deals", new { title, amount, currency = "EUR", pipelineId, stageId, assigneeId }))!["id"]!.GetValue<long>();

    private Task Activity(string token, long dealId, string type, string title, DateTimeOffset dueAt) =>
        Fx.ApiAsync(token, HttpMethod.Post, "/api/activities", new { subject = new { type = "deal", id = dealId }, type, title, dueAt });

    private async Task WebchatAsync(JsonObject channel, string name, string text)
    {
        using var site = Fx.App.Http();
        site.DefaultRequestHeaders.Add("Origin", SiteOrigin);
        var session = (await (await site.PostAsJsonAsync($"/api/widget/{channel["public"]!["widgetKey"]}/session", new { name })).Content.ReadFromJsonAsync<JsonObject>())!;
        site.DefaultRequestHeaders.Authorization = new("Bearer", session["visitorToken"]!.GetValue<string>());
        (await site.PostAsJsonAsync("/api/widget/messages", new { text, clientMessageId = Guid.NewGuid().ToString("N") })).EnsureSuccessStatusCode();
    }

    private async Task SignOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    private async Task ShotAsync(string name, IPage? page = null)
    {
        page ??= Page;
        Directory.CreateDirectory(ShotsDir);
        await page.Mouse.MoveAsync(0, 0); // no hover effects in the pictures
        await page.ScreenshotAsync(new() { Path = Path.Combine(ShotsDir, name + ".png") });
    }
}
