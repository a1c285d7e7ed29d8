using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>
/// Issue #15 in the browser: an admin deactivates, re-roles and resets users on the Users tab; anyone changes their own
/// password and signs out everywhere; a revoked session ends in its open tab; the audit log reads it all back.
/// </summary>
public sealed class UserLifecycleBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    // Bounds the wait for a revoked tab to reach the sign-in page: the hub is closed at once and the tab asks REST.
    private static readonly LocatorAssertionsToBeVisibleOptions FewSeconds = new() { Timeout = 8_000 };

    [Fact]
    public async Task A_manager_deactivated_by_an_admin_lands_on_sign_in_in_their_open_tab_and_can_come_back_when_reactivated()
    {
        var manager = await Fx.CreateUserAsync("leaver" + Suffix, "manager");
        var managerPage = await Fx.NewPageAsync();
        try
        {
            await Fx.SignInAsync(managerPage, manager.Email);
            await SignInAsAdminAsync();
            var row = UserRow(manager.Email);
            await Expect(row.Locator(".pill")).ToHaveTextAsync("Active");

            await row.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
            var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = $"Deactivate leaver{Suffix}?" });
            await Expect(dialog).ToContainTextAsync("signed out at once");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();

            // The admin's list shows it without a reload; the manager's tab, idle, is sent to sign in with the reason.
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(row.Locator(".pill")).ToHaveTextAsync("Deactivated");
            await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Reactivate" })).ToBeVisibleAsync();
            await Expect(managerPage.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync(FewSeconds);
            await Expect(managerPage.GetByRole(AriaRole.Status)).ToContainTextAsync("an admin deactivated your account");
            Assert.False((await UserAsync(manager.Email))["isActive"]!.GetValue<bool>());
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(manager.Email, "password-1234"));

            await row.GetByRole(AriaRole.Button, new() { Name = "Reactivate" }).ClickAsync();
            await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Reactivate" }).ClickAsync();
            await Expect(row.Locator(".pill")).ToHaveTextAsync("Active");
            await Fx.SignInAsync(managerPage, manager.Email);
        }
        finally
        {
            await managerPage.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_admin_changes_a_role_and_resets_a_password_and_the_manager_signs_in_with_the_new_one()
    {
        var manager = await Fx.CreateUserAsync("mover" + Suffix, "manager");
        await SignInAsAdminAsync();
        var row = UserRow(manager.Email);

        await row.GetByLabel($"Role of mover{Suffix}").SelectOptionAsync(new SelectOptionValue { Label = "Supervisor" });
        await Expect(row.GetByRole(AriaRole.Status)).ToHaveTextAsync($"mover{Suffix} is now Supervisor.");
        Assert.Equal("supervisor", (await UserAsync(manager.Email))["role"]!.GetValue<string>());

        await row.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = $"Reset the password of mover{Suffix}" });
        await dialog.GetByLabel("New password").FillAsync("fresh-password-" + Suffix);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row.GetByRole(AriaRole.Status)).ToContainTextAsync($"The password of mover{Suffix} was reset");

        Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(manager.Email, "password-1234"));
        var managerPage = await Fx.NewPageAsync();
        try
        {
            await Fx.SignInAsync(managerPage, manager.Email, "fresh-password-" + Suffix);
            await Expect(managerPage.GetByText($"Signed in as mover{Suffix} (Supervisor)")).ToBeVisibleAsync();
            await Expect(managerPage.GetByRole(AriaRole.Link, new() { Name = "Supervisor" })).ToBeVisibleAsync();
        }
        finally
        {
            await managerPage.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Deactivating_or_demoting_the_last_admin_is_refused_in_plain_words_and_changes_nothing()
    {
        await SignInAsAdminAsync();
        var row = UserRow("admin@test.local");
        await row.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("This is your own account");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This would leave no active admin. Make another user an admin first, then try again.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row.Locator(".pill")).ToHaveTextAsync("Active");

        var role = row.GetByLabel("Role of Admin");
        await role.SelectOptionAsync(new SelectOptionValue { Label = "Manager" });
        await Expect(row.GetByRole(AriaRole.Alert)).ToContainTextAsync("This would leave no active admin");
        await Expect(role).ToHaveValueAsync("admin");
        var admin = await UserAsync("admin@test.local");
        Assert.True(admin["isActive"]!.GetValue<bool>());
        Assert.Equal("admin", admin["role"]!.GetValue<string>());
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/auth/me");
    }

    [Fact]
    public async Task A_user_changes_their_own_password_and_later_signs_out_everywhere_which_ends_their_other_tab_too()
    {
        var user = await Fx.CreateUserAsync("careful" + Suffix, "manager");
        var newPassword = "my-new-password-" + Suffix;
        var other = await Fx.NewPageAsync();
        try
        {
            await Fx.SignInAsync(other, user.Email);
            await Fx.SignInAsync(Page, user.Email);

            await Page.GetByRole(AriaRole.Button, new() { Name = "Account" }).ClickAsync();
            await Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
            var dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "Change password" });
            await dialog.GetByLabel("Current password").FillAsync("not-my-password");
            await dialog.GetByLabel("New password", new() { Exact = true }).FillAsync(newPassword);
            await dialog.GetByLabel("Repeat the new password").FillAsync(newPassword);
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
            await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The current password is wrong.");
            await dialog.GetByLabel("Current password").FillAsync("password-1234");
            await dialog.GetByLabel("Repeat the new password").FillAsync(newPassword + "x");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
            await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The two new passwords are not the same.");
            await dialog.GetByLabel("Repeat the new password").FillAsync(newPassword);
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

            // Every token is revoked, this tab's too: both tabs are on the sign-in page, this one saying why.
            await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your password was changed and every session was signed out. Sign in with the new password.");
            await Expect(other.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync(FewSeconds);
            Assert.Equal(HttpStatusCode.Unauthorized, await LoginStatusAsync(user.Email, "password-1234"));

            await Fx.SignInAsync(Page, user.Email, newPassword);
            await Fx.SignInAsync(other, user.Email, newPassword);
            await Page.GetByRole(AriaRole.Button, new() { Name = "Account" }).ClickAsync();
            await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync();
            dialog = Page.GetByRole(AriaRole.Dialog, new() { Name = "Sign out everywhere" });
            await Expect(dialog).ToContainTextAsync("including this one");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync();

            await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You were signed out on every device and browser.");
            await Expect(other.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync(FewSeconds);
            await Expect(other.GetByRole(AriaRole.Status)).ToContainTextAsync("you signed out everywhere");
        }
        finally
        {
            await other.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_audit_log_lists_lifecycle_actions_with_actor_and_diff_filters_them_and_loads_more()
    {
        var user = await Fx.CreateUserAsync("audited" + Suffix, "manager");
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Patch, $"/api/users/{user.Id}", new { role = "supervisor" });
        await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, $"/api/users/{user.Id}/password", new { password = "reset-password-" + Suffix });
        var token = await Fx.LoginAsync(user.Email, "reset-password-" + Suffix);
        await Fx.ApiAsync(token, HttpMethod.Post, "/api/auth/logout-all");
        // More users than a page holds, so "Load more" has something to load.
        for (var i = 0; i < 52; i++)
        {
            await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/users", new { email = $"bulk{i}-{Suffix}@test.local", name = $"Bulk {i}", role = "manager", password = "password-1234" });
        }

        await Fx.OpenSignedInAsync(Page, "admin@test.local", "admin-password-1", "/admin/audit");
        var rows = Page.Locator("table.audit-table tbody tr");
        await Expect(rows).ToHaveCountAsync(50);
        var newest = (await AuditAsync(""))[0]!;
        var first = rows.First;
        await Expect(first.Locator("time")).ToHaveAttributeAsync("datetime", newest["at"]!.GetValue<string>());
        await Expect(first).ToContainTextAsync("User created");
        await Expect(first).ToContainTextAsync("Admin");

        await Page.GetByLabel("Action").SelectOptionAsync("user.updated");
        var updated = rows.Filter(new() { HasText = $"audited{Suffix}" });
        await Expect(updated).ToHaveCountAsync(1);
        await Expect(rows.Locator("[data-action]:not([data-action='user.updated'])")).ToHaveCountAsync(0);
        await Expect(updated.Locator(".diff li").Filter(new() { HasText = "role" })).ToHaveTextAsync("role: manager → supervisor");
        await Expect(updated).ToContainTextAsync($"user #{user.Id}");

        await Page.GetByLabel("Action").SelectOptionAsync("");
        await Page.GetByLabel("Who").SelectOptionAsync(new SelectOptionValue { Label = $"audited{Suffix}" });
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Signed out everywhere");
        await Expect(rows.First).ToContainTextAsync("user.logout-all");

        await Page.GetByLabel("Who").SelectOptionAsync(new SelectOptionValue { Label = "Admin" });
        await Page.GetByLabel("Action").SelectOptionAsync("user.created");
        var expected = await AuditAsync($"?action=user.created&actorId={await AdminIdAsync()}&limit=200");
        Assert.True(expected.Count > 50, $"only {expected.Count} user.created entries");
        await Expect(rows).ToHaveCountAsync(50);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Load more" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(expected.Count);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Load more" })).ToHaveCountAsync(0);
        await Expect(rows.Last).ToHaveAttributeAsync("data-audit-id", expected[^1]!["id"]!.ToJsonString());
    }

    [Fact]
    public async Task On_a_390_px_phone_in_Russian_the_users_and_audit_tabs_fit_and_every_action_is_reachable()
    {
        var manager = await Fx.CreateUserAsync("phone" + Suffix, "manager");
        var context = await Fx.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "ru-RU", IsMobile = true, HasTouch = true,
        });
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(Fx.BaseUrl + "/admin/users");
            await page.GetByLabel("Эл. почта").FillAsync("admin@test.local");
            await page.GetByLabel("Пароль").FillAsync("admin-password-1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Войти" }).ClickAsync();
            var row = page.Locator("table.users tbody tr").Filter(new() { HasText = manager.Email });
            await Expect(row).ToBeVisibleAsync();
            await AssertFitsAsync(page);

            // Deactivate, with its confirmation, in Russian; the row shows it at once.
            var deactivate = row.GetByRole(AriaRole.Button, new() { Name = "Отключить" });
            await AssertInViewportAsync(page, deactivate);
            await deactivate.ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Отключить пользователя phone{Suffix}?" });
            await AssertInViewportAsync(page, dialog.GetByRole(AriaRole.Button, new() { Name = "Отключить" }));
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Отключить" }).ClickAsync();
            await Expect(row.Locator(".pill")).ToHaveTextAsync("Отключён");

            // The last admin's refusal, in Russian.
            var self = page.Locator("table.users tbody tr").Filter(new() { HasText = "admin@test.local" });
            await self.GetByLabel("Роль: Admin").SelectOptionAsync("manager");
            await Expect(self.GetByRole(AriaRole.Alert)).ToContainTextAsync("Не останется ни одного активного администратора");
            await AssertFitsAsync(page);

            // The account menu and the audit log on the phone: the header is folded into its menu there.
            await page.GetByTestId("menu-button").ClickAsync();
            var account = page.GetByRole(AriaRole.Button, new() { Name = "Учётная запись" });
            await AssertInViewportAsync(page, account);
            await account.ClickAsync();
            await AssertInViewportAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Сменить пароль" }));
            await AssertInViewportAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Выйти на всех устройствах" }));
            await page.Keyboard.PressAsync("Escape");

            await page.GetByRole(AriaRole.Tab, new() { Name = "Журнал аудита" }).ClickAsync();
            var audit = page.Locator("table.audit-table tbody tr").Filter(new() { HasText = $"phone{Suffix}" });
            await Expect(audit.Filter(new() { HasText = "Изменён пользователь" })).ToHaveCountAsync(1);
            await Expect(audit.Filter(new() { HasText = "Изменён пользователь" }).Locator(".diff")).ToContainTextAsync("isActive: true → false");
            await AssertFitsAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ArtifactsDir, "lifecycle-audit-390-ru.png"), FullPage = true });
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private async Task SignInAsAdminAsync()
    {
        await Fx.OpenSignedInAsync(Page, "admin@test.local", "admin-password-1", "/admin/users");
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Users" })).ToHaveAttributeAsync("aria-selected", "true");
    }

    private ILocator UserRow(string email) => Page.Locator("table.users tbody tr").Filter(new() { HasText = email });

    private async Task<JsonNode> UserAsync(string email) =>
        (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/users"))!.AsArray().Single(u => u!["email"]!.GetValue<string>() == email)!;

    private async Task<long> AdminIdAsync() => (await UserAsync("admin@test.local"))["id"]!.GetValue<long>();

    private async Task<JsonArray> AuditAsync(string query) =>
        (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, "/api/admin/audit" + query))!["items"]!.AsArray();

    private async Task<HttpStatusCode> LoginStatusAsync(string email, string password)
    {
        using var http = Fx.App.Http();
        return (await http.PostAsJsonAsync("/api/auth/login", new { email, password })).StatusCode;
    }

    /// <summary>No sideways scrolling: neither the document nor the scrolling main area is wider than the screen.</summary>
    private static async Task AssertFitsAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>(
            "() => { const m = document.querySelector('main.content'); return [document.documentElement.scrollWidth, window.innerWidth, m.scrollWidth, m.clientWidth]; }");
        Assert.True(widths[0] <= widths[1] && widths[2] <= widths[3], $"wider than the screen: document {widths[0]}/{widths[1]}, main {widths[2]}/{widths[3]}");
    }

    private static async Task AssertInViewportAsync(IPage page, ILocator target)
    {
        await target.ScrollIntoViewIfNeededAsync();
        await Expect(target).ToBeInViewportAsync(new() { Ratio = 1 });
        var box = await target.BoundingBoxAsync();
        Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= page.ViewportSize!.Width, $"outside the screen: {box?.X}+{box?.Width}");
    }
}
