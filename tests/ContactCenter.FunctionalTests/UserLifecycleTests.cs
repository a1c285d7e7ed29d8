using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Text;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.FunctionalTests;

/// <summary>Admins deactivate users, change roles and reset passwords; each takes effect on the user's tokens at once.</summary>
public sealed class UserLifecycleTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_deactivated_users_token_is_refused_at_once()
    {
        var user = await fixture.CreateUserAsync("leaver", "manager");
        using var asUser = fixture.App.Http(user.Token);
        (await asUser.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        using var admin = fixture.App.Http(fixture.AdminToken);

        var updated = await (await admin.PatchJsonAsync($"/api/users/{user.Id}", new { isActive = false })).OkJsonAsync();

        Assert.False(updated["isActive"]!.GetValue<bool>());
        await (await asUser.GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await asUser.GetAsync("/api/conversations")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await fixture.App.Http().PostJsonAsync("/api/auth/login", new { email = user.Email, password = "password-1234" })).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_whose_subject_names_no_user_is_refused()
    {
        var token = Token(new Claim("sub", "987654"), new Claim("role", "admin"), new Claim("stamp", "1"));

        await (await fixture.App.Http(token).GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await fixture.App.Http(token).GetAsync("/api/users")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("1.5")]
    [InlineData("")]
    [InlineData("99999999999999999999999")]
    public async Task A_token_with_a_malformed_subject_is_a_401_not_a_500(string sub)
    {
        var token = Token(new Claim("sub", sub), new Claim("role", "admin"), new Claim("stamp", "1"));

        await (await fixture.App.Http(token).GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await fixture.App.Http(token).GetAsync("/api/conversations")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_role_change_takes_effect_at_once()
    {
        var user = await fixture.CreateUserAsync("climber", "admin");
        using var asUser = fixture.App.Http(user.Token);
        (await asUser.GetAsync("/api/admin/jobs")).EnsureSuccessStatusCode();
        using var admin = fixture.App.Http(fixture.AdminToken);

        var updated = await (await admin.PatchJsonAsync($"/api/users/{user.Id}", new { role = "manager" })).OkJsonAsync();

        Assert.Equal("manager", updated["role"]!.GetValue<string>());
        var status = (await asUser.GetAsync("/api/admin/jobs")).StatusCode;
        Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"Old admin token still worked: {(int)status}");
        var fresh = await fixture.LoginAsync(user.Email, "password-1234");
        await (await fixture.App.Http(fresh).GetAsync("/api/admin/jobs")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_password_reset_by_an_admin_revokes_the_users_tokens()
    {
        var user = await fixture.CreateUserAsync("forgetful", "manager");
        using var admin = fixture.App.Http(fixture.AdminToken);

        var reset = await admin.PostJsonAsync($"/api/users/{user.Id}/password", new { password = "brand-new-password" });

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await (await fixture.App.Http(user.Token).GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await fixture.App.Http().PostJsonAsync("/api/auth/login", new { email = user.Email, password = "password-1234" })).ProblemAsync(HttpStatusCode.Unauthorized);
        var fresh = await fixture.LoginAsync(user.Email, "brand-new-password");
        (await fixture.App.Http(fresh).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Changing_ones_own_password_needs_the_current_one_and_revokes_every_token()
    {
        var user = await fixture.CreateUserAsync("careful", "manager");
        var otherDevice = await fixture.LoginAsync(user.Email, "password-1234");
        using var asUser = fixture.App.Http(user.Token);

        await (await asUser.PostJsonAsync("/api/auth/password", new { currentPassword = "wrong-password-1", newPassword = "another-password-1" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await asUser.PostJsonAsync("/api/auth/password", new { currentPassword = "password-1234", newPassword = "short" })).ProblemAsync(HttpStatusCode.BadRequest);
        (await asUser.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        var changed = await asUser.PostJsonAsync("/api/auth/password", new { currentPassword = "password-1234", newPassword = "another-password-1" });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await (await asUser.GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await fixture.App.Http(otherDevice).GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        var fresh = await fixture.LoginAsync(user.Email, "another-password-1");
        (await fixture.App.Http(fresh).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Logout_all_revokes_every_token_of_the_caller_including_its_own()
    {
        var user = await fixture.CreateUserAsync("traveller", "manager");
        var otherDevice = await fixture.LoginAsync(user.Email, "password-1234");
        var bystander = await fixture.CreateUserAsync("bystander", "manager");

        var response = await fixture.App.Http(user.Token).PostAsync("/api/auth/logout-all", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await (await fixture.App.Http(user.Token).GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await fixture.App.Http(otherDevice).GetAsync("/api/auth/me")).ProblemAsync(HttpStatusCode.Unauthorized);
        (await fixture.App.Http(bystander.Token).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        (await fixture.App.Http(await fixture.LoginAsync(user.Email, "password-1234")).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_deactivated_or_demoted()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var me = await (await admin.GetAsync("/api/auth/me")).OkJsonAsync();
        var id = me.Id();

        await (await admin.PatchJsonAsync($"/api/users/{id}", new { isActive = false })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PatchJsonAsync($"/api/users/{id}", new { role = "supervisor" })).ProblemAsync(HttpStatusCode.Conflict);
        (await admin.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();

        // With a second admin, the first may step down.
        var second = await fixture.CreateUserAsync("deputy", "admin");
        await (await admin.PatchJsonAsync($"/api/users/{second.Id}", new { isActive = false })).OkJsonAsync();
        await (await admin.PatchJsonAsync($"/api/users/{id}", new { role = "supervisor" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PatchJsonAsync($"/api/users/{second.Id}", new { isActive = true })).OkJsonAsync();
        var demoted = await (await admin.PatchJsonAsync($"/api/users/{id}", new { role = "supervisor" })).OkJsonAsync();
        Assert.Equal("supervisor", demoted["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_lifecycle_requests_are_clear_4xx_answers_that_change_nothing()
    {
        var user = await fixture.CreateUserAsync("target", "manager");
        using var admin = fixture.App.Http(fixture.AdminToken);

        await (await admin.PatchJsonAsync("/api/users/999999", new { name = "Ghost" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync("/api/users/999999/password", new { password = "long-enough-1" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PatchJsonAsync($"/api/users/{user.Id}", new { role = "owner" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PatchJsonAsync($"/api/users/{user.Id}", new { name = "  " })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync($"/api/users/{user.Id}/password", new { password = "short" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync($"/api/users/{user.Id}/password", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        using var malformed = new StringContent("{\"role\": ", Encoding.UTF8, "application/json");
        var bad = await admin.PatchAsync($"/api/users/{user.Id}", malformed);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(string Role, bool IsActive, string Name)>("select role, is_active, name from users where id = @id", new { id = user.Id });
        Assert.Equal(("manager", true, "target"), row);
        (await fixture.App.Http(user.Token).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Managers_and_supervisors_get_403_on_the_admin_routes()
    {
        var target = await fixture.CreateUserAsync("someone", "manager");
        foreach (var role in new[] { "manager", "supervisor" })
        {
            var caller = await fixture.CreateUserAsync("caller-" + role, role);
            using var http = fixture.App.Http(caller.Token);
            await (await http.PatchJsonAsync($"/api/users/{target.Id}", new { role = "admin" })).ProblemAsync(HttpStatusCode.Forbidden);
            await (await http.PostJsonAsync($"/api/users/{target.Id}/password", new { password = "long-enough-1" })).ProblemAsync(HttpStatusCode.Forbidden);
            await (await http.GetAsync("/api/admin/audit")).ProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task Name_changes_keep_the_users_tokens()
    {
        var user = await fixture.CreateUserAsync("renamed", "manager");
        using var admin = fixture.App.Http(fixture.AdminToken);

        var updated = await (await admin.PatchJsonAsync($"/api/users/{user.Id}", new { name = "New Name" })).OkJsonAsync();

        Assert.Equal("New Name", updated["name"]!.GetValue<string>());
        (await fixture.App.Http(user.Token).GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
    }

    private static string Token(params Claim[] claims)
    {
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestKeys.JwtKey)), SecurityAlgorithms.HmacSha256);
        var jwt = new JwtSecurityToken("contactcenter", "contactcenter", [.. claims, new Claim("name", "Forger")],
            DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10), credentials);
        return new JwtSecurityTokenHandler().WriteToken(jwt);
    }
}
