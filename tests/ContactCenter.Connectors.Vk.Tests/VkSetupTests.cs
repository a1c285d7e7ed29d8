using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.Vk.Tests;

public sealed class VkSetupTests(VkFixture fixture) : IClassFixture<VkFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetVkAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Saving_a_channel_checks_the_token_with_groups_getById_and_never_returns_the_secrets()
    {
        var channel = await fixture.CreateVkChannelAsync();

        var check = VkFixture.Form(Assert.Single(fixture.Calls("groups.getById")));
        Assert.Equal(VkFixture.Token, check["access_token"]);
        Assert.False(check.ContainsKey("group_id"), "asked without group_id, VK names the token's own community");
        Assert.Null(channel["statusError"]?.GetValue<string>());
        Assert.Null(channel["settings"]!["accessToken"]);
        Assert.Null(channel["settings"]!["secretKey"]);
        Assert.Equal(VkFixture.GroupId, channel["settings"]!["groupId"]!.GetValue<long>());
        Assert.Equal(["accessToken", "secretKey"], channel["secretsSet"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.DoesNotContain(VkFixture.Token, channel.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(VkFixture.Secret, channel.ToJsonString(), StringComparison.Ordinal);
        // From the configured public URL, never from the request's Host.
        Assert.Equal($"https://cc.example.com/webhooks/vk/{channel["id"]}", channel["public"]!["callbackUrl"]!.GetValue<string>());
        Assert.DoesNotContain(fixture.Logs.Lines.ToList(), l => l.Contains(VkFixture.Token, StringComparison.Ordinal) || l.Contains(VkFixture.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_callback_url_ignores_a_forged_host_header()
    {
        var created = await fixture.CreateVkChannelAsync();
        using var http = fixture.App.Http(fixture.AdminToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/channels/{created["id"]}");
        request.Headers.Host = "evil.example.net";

        var channel = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal($"https://cc.example.com/webhooks/vk/{created["id"]}", channel!["public"]!["callbackUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_of_another_community_gives_a_clear_status_error()
    {
        fixture.StubOk("groups.getById", new JsonObject { ["groups"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "Другое" }), ["profiles"] = new JsonArray() });

        var channel = await fixture.CreateVkChannelAsync();

        Assert.Equal("The access token belongs to community 1, not to groupId 218375120.", channel["statusError"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_vk_rejects_gives_a_clear_status_error_and_fixing_it_clears_it()
    {
        fixture.StubError("groups.getById", 5, "User authorization failed: invalid access_token (4).");

        var channel = await fixture.CreateVkChannelAsync();

        Assert.StartsWith("VK rejected the access token (5", channel["statusError"]!.GetValue<string>());
        await fixture.ResetVkStubsAsync();
        using var http = fixture.App.Http(fixture.AdminToken);
        var patched = await http.PatchAsJsonAsync($"/api/channels/{channel["id"]}", new { settings = new { accessToken = VkFixture.Token + "X" } });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Null((await patched.Content.ReadFromJsonAsync<JsonObject>())!["statusError"]?.GetValue<string>());
    }

    [Fact]
    public async Task An_unreachable_api_gives_a_status_error_naming_only_the_host()
    {
        var channel = await fixture.CreateVkChannelAsync(fixture.Settings(apiBaseUrl: "http://127.0.0.1:9/method"));

        Assert.Equal("cannot connect to 127.0.0.1", channel["statusError"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_group_id_given_as_club_name_is_stored_as_the_number()
    {
        var settings = fixture.Settings();
        settings["groupId"] = "club218375120";

        var channel = await fixture.CreateVkChannelAsync(settings);

        Assert.Equal(VkFixture.GroupId, channel["settings"]!["groupId"]!.GetValue<long>());
        Assert.Null(channel["statusError"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("groupId", "vk.com/romashka")]
    [InlineData("groupId", "0")]
    [InlineData("accessToken", "short")]
    [InlineData("accessToken", "has spaces in the token value here")]
    [InlineData("secretKey", "short")]
    [InlineData("secretKey", "not-letters-and-digits!")]
    [InlineData("confirmationCode", "")]
    [InlineData("confirmationCode", "a1b2 c3d4")]
    [InlineData("apiBaseUrl", "ftp://api.vk.com/method")]
    [InlineData("apiBaseUrl", " http://127.0.0.1:9/method ")] // stored as typed, so refused as typed
    public async Task Bad_settings_are_400_with_the_field_and_nothing_is_stored(string field, string value)
    {
        var settings = fixture.Settings();
        settings[field] = value;
        using var http = fixture.App.Http(fixture.AdminToken);

        var response = await http.PostAsJsonAsync("/api/channels", new { kind = "vk", name = "Bad", settings });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]![$"settings.{field}"]);
        Assert.Empty(fixture.Calls("groups.getById"));
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from channels"));
    }

    [Fact]
    public async Task The_random_id_is_stable_for_a_message_and_differs_between_messages_parts_and_databases()
    {
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var id = VkRandomId.For(7, 42, at, 0);

        Assert.Equal(id, VkRandomId.For(7, 42, at, 0));
        Assert.Equal(42, VkRandomId.MessageIdOf(id));
        Assert.True(VkRandomId.Matches(id, 7, 42, at));
        Assert.NotEqual(id, VkRandomId.For(7, 42, at, 1));
        Assert.NotEqual(id, VkRandomId.For(7, 43, at, 0));
        Assert.NotEqual(id, VkRandomId.For(7, 42, at.AddTicks(10), 0)); // the same id in a fresh database, created at another time
        Assert.False(VkRandomId.Matches(id, 8, 42, at));
        Assert.InRange(id, (long)int.MaxValue + 1, long.MaxValue);
        await Task.CompletedTask;
    }
}
