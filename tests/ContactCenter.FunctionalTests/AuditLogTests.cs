using System.Net;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>Admin changes are recorded append-only, with secrets masked, and read back newest first in pages.</summary>
public sealed class AuditLogTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        await fixture.ExecuteResetAsync("truncate table audit_log restart identity");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task User_lifecycle_actions_are_recorded_with_actor_subject_and_before_after_without_passwords()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var adminId = (await (await admin.GetAsync("/api/auth/me")).OkJsonAsync()).Id();
        var user = await fixture.CreateUserAsync("audited", "manager");
        await (await admin.PatchJsonAsync($"/api/users/{user.Id}", new { role = "supervisor", name = "Audited Two" })).OkJsonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostJsonAsync($"/api/users/{user.Id}/password", new { password = "reset-password-1" })).StatusCode);
        var token = await fixture.LoginAsync(user.Email, "reset-password-1");
        using var asUser = fixture.App.Http(token);
        Assert.Equal(HttpStatusCode.NoContent, (await asUser.PostJsonAsync("/api/auth/password", new { currentPassword = "reset-password-1", newPassword = "own-password-12" })).StatusCode);
        token = await fixture.LoginAsync(user.Email, "own-password-12");
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.App.Http(token).PostAsync("/api/auth/logout-all", null)).StatusCode);

        var items = await ItemsAsync(admin, "/api/admin/audit");

        Assert.Equal(["user.logout-all", "user.password-changed", "user.password-reset", "user.updated", "user.created"],
            items.Select(i => i["action"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Equal("user", i["subjectType"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Equal(user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), i["subjectId"]!.GetValue<string>()));
        Assert.Equal([user.Id, user.Id, adminId, adminId, adminId], items.Select(i => i["actorId"]!.GetValue<long>()));
        var updated = items[3];
        Assert.Equal("manager", updated["before"]!["role"]!.GetValue<string>());
        Assert.Equal("supervisor", updated["after"]!["role"]!.GetValue<string>());
        Assert.Equal("audited", updated["before"]!["name"]!.GetValue<string>());
        Assert.Equal("Audited Two", updated["after"]!["name"]!.GetValue<string>());
        Assert.True(updated["after"]!["isActive"]!.GetValue<bool>());
        var text = string.Join("\n", items.Select(i => i.ToJsonString()));
        foreach (var secret in new[] { "password-1234", "reset-password-1", "own-password-12", "AQAAAA" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Channel_changes_are_recorded_with_their_secrets_masked()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var channel = await fixture.CreateApiChannelAsync();
        var member = await fixture.CreateUserAsync("member", "manager");
        await (await admin.PatchJsonAsync($"/api/channels/{channel.Id}", new { name = "Renamed", settings = new { secret = "rotated-secret-0123456789abcdef" } })).OkJsonAsync();
        (await admin.PostJsonAsync($"/api/channels/{channel.Id}/members", new { userId = member.Id })).EnsureSuccessStatusCode();
        (await admin.DeleteAsync($"/api/channels/{channel.Id}/members/{member.Id}")).EnsureSuccessStatusCode();

        var items = await ItemsAsync(admin, "/api/admin/audit?limit=100");
        var channelItems = items.Where(i => i["subjectType"]!.GetValue<string>() == "channel").ToList();

        Assert.Equal(["channel.member-removed", "channel.member-added", "channel.updated", "channel.created"],
            channelItems.Select(i => i["action"]!.GetValue<string>()));
        Assert.All(channelItems, i => Assert.Equal(channel.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), i["subjectId"]!.GetValue<string>()));
        var update = channelItems[2];
        Assert.Equal("Integration", update["before"]!["name"]!.GetValue<string>());
        Assert.Equal("Renamed", update["after"]!["name"]!.GetValue<string>());
        Assert.Contains("secret", update["after"]!["secretsSet"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(member.Id, channelItems[1]["after"]!["userId"]!.GetValue<long>());
        var text = string.Join("\n", channelItems.Select(i => i.ToJsonString()));
        Assert.DoesNotContain(channel.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("rotated-secret-0123456789abcdef", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crm_configuration_changes_are_recorded()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var adminId = (await (await admin.GetAsync("/api/auth/me")).OkJsonAsync()).Id();
        var pipeline = await (await admin.PostJsonAsync("/api/pipelines", new
        {
            name = "Wholesale",
            stages = new object[] { new { name = "Inquiry", semantic = "open" }, new { name = "Signed", semantic = "won" }, new { name = "Lost", semantic = "lost" } },
        })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PutAsync($"/api/pipelines/{pipeline.Id()}", System.Net.Http.Json.JsonContent.Create(new { name = "Retail" }))).OkJsonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/pipelines/{pipeline.Id()}")).StatusCode);
        var reason = await (await admin.PostJsonAsync("/api/loss-reasons", new { name = "Too expensive " + Guid.NewGuid().ToString("N")[..6] })).OkJsonAsync(HttpStatusCode.Created);
        var rule = new
        {
            name = "Call back", trigger = new { type = "leadCreated" },
            actions = new object[] { new { type = "createActivity", activityType = "call", title = "Call back", dueIn = "PT10M" } },
        };
        var created = await (await admin.PostJsonAsync("/api/automation/rules", rule)).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PutAsync($"/api/automation/rules/{created.Id()}", System.Net.Http.Json.JsonContent.Create(rule with { name = "Call back soon" }))).OkJsonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/automation/rules/{created.Id()}")).StatusCode);
        await (await admin.PutAsync("/api/settings/crm", System.Net.Http.Json.JsonContent.Create(new { mode = "simple" }))).OkJsonAsync();

        var items = await ItemsAsync(admin, "/api/admin/audit?limit=100");

        Assert.Equal(
            ["crm-settings.updated", "automation-rule.deleted", "automation-rule.updated", "automation-rule.created", "loss-reason.created",
             "pipeline.deleted", "pipeline.updated", "pipeline.created"],
            items.Select(i => i["action"]!.GetValue<string>()));
        Assert.All(items, i => Assert.Equal(adminId, i["actorId"]!.GetValue<long>()));
        Assert.Equal("Wholesale", items[6]["before"]!["name"]!.GetValue<string>());
        Assert.Equal("Retail", items[6]["after"]!["name"]!.GetValue<string>());
        Assert.Equal(["Inquiry", "Signed", "Lost"], items[7]["after"]!["stages"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal("Retail", items[5]["before"]!["name"]!.GetValue<string>());
        Assert.Equal(reason.Id().ToString(System.Globalization.CultureInfo.InvariantCulture), items[4]["subjectId"]!.GetValue<string>());
        Assert.Equal("Call back", items[2]["before"]!["name"]!.GetValue<string>());
        Assert.Equal("Call back soon", items[2]["after"]!["name"]!.GetValue<string>());
        Assert.Equal("classic", items[0]["before"]!["mode"]!.GetValue<string>());
        Assert.Equal("simple", items[0]["after"]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_log_pages_newest_first_by_cursor_and_filters_by_action_and_actor()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var adminId = (await (await admin.GetAsync("/api/auth/me")).OkJsonAsync()).Id();
        var created = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await fixture.CreateUserAsync($"paged-{i}", "manager")).Id);
        }
        var own = await fixture.CreateUserAsync("self-service", "manager");
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.App.Http(own.Token).PostAsync("/api/auth/logout-all", null)).StatusCode);

        var seen = new List<JsonObject>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await admin.GetAsync("/api/admin/audit?action=user.created&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)))).OkJsonAsync();
            seen.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal([own.Id, .. Enumerable.Reverse(created)], seen.Select(i => long.Parse(i["subjectId"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)));
        var ids = seen.Select(i => i["id"]!.GetValue<long>()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        var byUser = await ItemsAsync(admin, $"/api/admin/audit?actorId={own.Id}");
        Assert.Equal("user.logout-all", Assert.Single(byUser)["action"]!.GetValue<string>());
        Assert.Equal(6, (await ItemsAsync(admin, $"/api/admin/audit?actorId={adminId}&action=user.created")).Count);
    }

    [Theory]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("cursor=-5")]
    [InlineData("limit=0")]
    [InlineData("limit=100000")]
    [InlineData("limit=abc")]
    [InlineData("actorId=abc")]
    public async Task A_bad_cursor_or_limit_is_a_400(string query)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);

        var response = await admin.GetAsync("/api/admin/audit?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<List<JsonObject>> ItemsAsync(HttpClient http, string url)
    {
        var page = await (await http.GetAsync(url)).OkJsonAsync();
        return [.. page["items"]!.AsArray().Select(i => i!.AsObject())];
    }
}
