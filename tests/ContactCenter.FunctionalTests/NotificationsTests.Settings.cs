using System.Net;
using System.Net.Http.Json;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>The per-user settings: a kind switched off, and the settings refused.</summary>
public sealed partial class NotificationsTests
{
    [Fact]
    public async Task A_kind_switched_off_in_settings_is_neither_stored_nor_pushed()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var author = await fixture.CreateUserAsync("sa", "manager", channel.Id);
        var quiet = await fixture.CreateUserAsync("sq", "manager", channel.Id);
        var id = await ConversationAsync(channel, "Quiet");
        using var http = fixture.App.Http(author.Token);
        using var quietHttp = fixture.App.Http(quiet.Token);
        var defaults = await (await quietHttp.GetAsync("/api/me/settings")).OkJsonAsync();
        Assert.True(defaults["notifications"]!["mention"]!.GetValue<bool>());
        Assert.True(defaults["sound"]!.GetValue<bool>());

        var saved = await (await quietHttp.PutAsJsonAsync("/api/me/settings", new
        {
            notifications = new { mention = false },
            sound = false,
            quietHours = new { from = "22:00", to = "08:00", timeZone = "Europe/Moscow" },
            language = (string?)null, // what the settings page sends back when no language was chosen
        })).OkJsonAsync();
        Assert.False(saved["notifications"]!["mention"]!.GetValue<bool>());
        Assert.True(saved["notifications"]!["assigned"]!.GetValue<bool>());
        var read = await (await quietHttp.GetAsync("/api/me/settings")).OkJsonAsync();
        Assert.Equal("Europe/Moscow", read["quietHours"]!["timeZone"]!.GetValue<string>());
        Assert.False(read["sound"]!.GetValue<bool>());

        await (await NoteAsync(http, id, "@sq look", quiet.Id)).OkJsonAsync(HttpStatusCode.Accepted);
        (await http.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = quiet.Id })).EnsureSuccessStatusCode();

        var items = (await NotificationsAsync(quietHttp))["items"]!.AsArray();
        Assert.Equal("assigned", Assert.Single(items)!["kind"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"notifications": {"nonsense": true}}""")]
    [InlineData("""{"notifications": {"mention": "yes"}}""")]
    [InlineData("""{"notifications": []}""")]
    [InlineData("""{"sound": 1}""")]
    [InlineData("""{"quietHours": {"from": "25:00", "to": "08:00", "timeZone": "UTC"}}""")]
    [InlineData("""{"quietHours": {"from": "22:00", "to": "22:00", "timeZone": "UTC"}}""")]
    [InlineData("""{"quietHours": {"from": "22:00", "to": "08:00", "timeZone": "Mars/Olympus"}}""")]
    [InlineData("""{"quietHours": "night"}""")]
    [InlineData("""{"notifications": {"mention": null}}""")]
    [InlineData("""{"sound": false, "volume": 3}""")]
    [InlineData("""{"quietHours": {"from": "22:00", "to": "08:00", "zone": "Europe/Moscow"}}""")]
    [InlineData("""{"language": 1}""")]
    public async Task Bad_settings_are_a_400_that_changes_nothing(string body)
    {
        var user = await fixture.CreateUserAsync("bad" + Guid.NewGuid().ToString("N")[..6], "manager");
        using var http = fixture.App.Http(user.Token);

        var response = await http.PutAsync("/api/me/settings", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await fixture.CountAsync("user_settings"));
    }

    [Fact]
    public async Task Fifty_thousand_unknown_kinds_are_one_short_400_not_an_answer_that_grows_with_the_body()
    {
        var user = await fixture.CreateUserAsync("many" + Guid.NewGuid().ToString("N")[..6], "manager");
        using var http = fixture.App.Http(user.Token);
        var kinds = string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"\"kind{i}\":true"));

        var response = await http.PutAsync("/api/me/settings", new StringContent("{\"notifications\":{" + kinds + "}}", System.Text.Encoding.UTF8, "application/json"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown kind 'kind0'", body);
        Assert.True(body.Length < 4_000, $"{body.Length} characters");
        Assert.Equal(0, await fixture.CountAsync("user_settings"));
    }
}
