using System.Net;
using System.Net.Http.Json;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Admin input that was taken and stored wrong (an outside review, session 29): an email "@@@@", channel ids dropped in
/// silence, a loss reason twice in another case or with a line break, and a sales plan that could not be removed.
/// </summary>
public sealed class AdminInputTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("@@@@", null, "Email")]
    [InlineData("a@", null, "Email")]
    [InlineData("two words@x.test", null, "Email")]
    [InlineData("good@x.test", -1L, "channelIds")]
    [InlineData("good@x.test", 999999L, "channelIds")]
    public async Task A_user_with_an_address_that_is_not_one_or_a_channel_that_does_not_exist_is_a_400_and_no_user(string email, long? channelId, string field)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var before = await fixture.CountAsync("users");
        var channelIds = channelId is { } id ? new[] { id } : null;

        var response = await admin.PostJsonAsync("/api/users", new { email, name = "New", role = "manager", password = "password-1234", channelIds });

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await fixture.CountAsync("users"));
    }

    [Fact]
    public async Task A_user_patch_with_a_field_it_does_not_take_is_a_400_that_names_it_and_changes_nothing()
    {
        var manager = await fixture.CreateUserAsync("typo", "manager");
        using var admin = fixture.App.Http(fixture.AdminToken);

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/users/{manager.Id}") { Content = JsonContent.Create(new { isActiv = false }) };
        request.Headers.AcceptLanguage.ParseAdd("ru");
        var response = await admin.SendAsync(request);

        var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("isActiv", detail);
        Assert.Contains("не принимает", detail);
        var users = await (await admin.GetAsync("/api/users")).OkArrayAsync();
        Assert.True(users.Single(u => u!["id"]!.GetValue<long>() == manager.Id)!["isActive"]!.GetValue<bool>());
        // The liveness marker: the field it does take works on the same user.
        var patched = await (await admin.PatchAsJsonAsync($"/api/users/{manager.Id}", new { isActive = false })).OkJsonAsync();
        Assert.False(patched["isActive"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_user_created_with_real_channels_is_their_member()
    {
        var channel = await fixture.CreateApiChannelAsync();
        using var admin = fixture.App.Http(fixture.AdminToken);
        var created = await (await admin.PostJsonAsync("/api/users", new { email = "olga@x.test", name = "Olga", role = "manager", password = "password-1234", channelIds = new[] { channel.Id } }))
            .OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal([channel.Id], created["channelIds"]!.AsArray().Select(c => c!.GetValue<long>()));
    }

    [Fact]
    public async Task A_loss_reason_that_differs_only_in_case_is_a_409_and_one_with_a_line_break_a_400()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PostJsonAsync("/api/loss-reasons", new { name = "Дорого" })).EnsureSuccessStatusCode();
        var before = await fixture.CountAsync("loss_reasons");

        await (await admin.PostJsonAsync("/api/loss-reasons", new { name = "дорого" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync("/api/loss-reasons", new { name = "ДОРОГО " })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync("/api/loss-reasons", new { name = "Слишком\nдорого" })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(before, await fixture.CountAsync("loss_reasons"));
    }

    [Fact]
    public async Task A_loss_reason_with_a_typo_is_renamed_given_a_russian_name_archived_and_restored_and_a_lost_deal_keeps_it()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var id = (await (await admin.PostJsonAsync("/api/loss-reasons", new { name = "Too expensve" })).OkJsonAsync(HttpStatusCode.Created)).Id();
        var deal = (await (await admin.PostJsonAsync("/api/deals", new { title = "Sofa", amount = 100 })).OkJsonAsync(HttpStatusCode.Created)).Id();
        (await admin.PostJsonAsync($"/api/deals/{deal}/close", new { outcome = "lost", lossReasonId = id })).EnsureSuccessStatusCode();

        var renamed = await (await admin.PatchJsonAsync($"/api/loss-reasons/{id}", new { name = "Too expensive (custom)", nameRu = "Дорого (своё)" })).OkJsonAsync();
        Assert.Equal(("Too expensive (custom)", "Дорого (своё)"), (renamed["name"]!.GetValue<string>(), renamed["nameRu"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/loss-reasons/{id}")).StatusCode);

        var offered = await (await admin.GetAsync("/api/loss-reasons")).OkArrayAsync();
        Assert.DoesNotContain(offered, r => r!.Id() == id);
        var archived = await (await admin.GetAsync("/api/loss-reasons?archived=true")).OkArrayAsync();
        Assert.Contains(archived, r => r!.Id() == id);
        var lost = await (await admin.GetAsync($"/api/deals/{deal}")).OkJsonAsync();
        Assert.Equal("Too expensive (custom)", lost["lossReason"]!["name"]!.GetValue<string>());

        (await admin.PatchJsonAsync($"/api/loss-reasons/{id}", new { archived = false })).EnsureSuccessStatusCode();
        Assert.Contains(await (await admin.GetAsync("/api/loss-reasons")).OkArrayAsync(), r => r!.Id() == id);

        // Only admins change them; a name another reason has is a 409; an unknown one a 404.
        var supervisor = await fixture.CreateUserAsync("lr-sup", "supervisor");
        using var asSupervisor = fixture.App.Http(supervisor.Token);
        await (await asSupervisor.PatchJsonAsync($"/api/loss-reasons/{id}", new { name = "Mine" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PatchJsonAsync($"/api/loss-reasons/{id}", new { name = "No response" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PatchJsonAsync("/api/loss-reasons/999999", new { name = "Ghost" })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_sales_plan_set_by_mistake_is_removed_and_the_report_shows_none()
    {
        var manager = await fixture.CreateUserAsync("planned", "manager");
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PutAsJsonAsync($"/api/sales-plans/{manager.Id}/2026-03", new { amount = 5000 })).EnsureSuccessStatusCode();
        Assert.Equal(1, await fixture.CountAsync("sales_plans"));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/sales-plans/{manager.Id}/2026-03")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/sales-plans/{manager.Id}/2026-03")).StatusCode); // none is fine

        Assert.Equal(0, await fixture.CountAsync("sales_plans"));
        var report = await (await admin.GetAsync("/api/reports/plan?month=2026-03")).OkJsonAsync();
        var row = report["rows"]!.AsArray().Single(r => r!.Id("userId") == manager.Id)!;
        Assert.Null(row["plan"]);
        await (await admin.DeleteAsync("/api/sales-plans/999999/2026-03")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"/api/sales-plans/{manager.Id}/2026-13")).ProblemAsync(HttpStatusCode.BadRequest);
        using var asManager = fixture.App.Http(manager.Token);
        await (await asManager.DeleteAsync($"/api/sales-plans/{manager.Id}/2026-03")).ProblemAsync(HttpStatusCode.Forbidden);
    }
}
