using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.Telegram.Tests;

/// <summary>Updates that are not plain messages (NULs, group chats, unknown kinds) and the requests refused (secret, malformed JSON, size, channel).</summary>
public sealed partial class TelegramInboundTests
{
    /// <summary>
    /// Session 23's outside review: an edit (or an update the service does not understand) with a NUL was refused by
    /// PostgreSQL on every delivery, so Telegram retried it for ever (a polling bot stopped at it for good). Cleaned as a
    /// new message is.
    /// </summary>
    [Fact]
    public async Task An_edit_and_an_unknown_update_with_NUL_characters_are_stored_without_them()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"));
        var edit = System.Text.Json.Nodes.JsonNode.Parse(TelegramFixture.Sample("edited"))!;
        edit["edited_message"]!["text"] = "edited \u0000 nul";
        var unknown = System.Text.Json.Nodes.JsonNode.Parse(TelegramFixture.Sample("callback_query"))!;
        unknown["callback_query"]!["data"] = "q\u0000";

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, edit.ToJsonString())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, unknown.ToJsonString())).StatusCode);

        Assert.Equal("edited  nul", (await MessageAsync("5551234567:1365")).Text);
        await using var db = fixture.Db();
        Assert.Equal("q", await db.ExecuteScalarAsync<string>("select raw->'callback_query'->>'data' from unhandled_inbound"));
    }

    [Theory]
    [InlineData("group")]
    [InlineData("channel_post")]
    public async Task Group_chats_and_channel_posts_are_ignored_with_200(string sample)
    {
        var channelId = await fixture.CreateChannelIdAsync();

        var response = await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample(sample));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task An_update_the_service_does_not_understand_is_stored_once_for_review()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("callback_query"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("callback_query"))).StatusCode);

        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(long ChannelId, string ExternalId, string Kind, string Data)>(
            "select channel_id, external_id, kind, raw->'callback_query'->>'data' from unhandled_inbound");
        Assert.Equal((channelId, "update:815200112", "callback_query", "delivery:courier"), row);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_message_kind_the_service_cannot_show_is_kept_and_says_so()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        var body = """
            {"update_id": 815200120, "message": {"message_id": 1390,
              "from": {"id": 5551234567, "is_bot": false, "first_name": "Анна"},
              "chat": {"id": 5551234567, "first_name": "Анна", "type": "private"}, "date": 1764170500,
              "game": {"title": "Тетрис 🎮", "description": "Игра", "photo": []}}}
            """;

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, body)).StatusCode);

        var message = await MessageAsync("5551234567:1390");
        Assert.StartsWith("[Unsupported Telegram message:", message.Text);
    }

    [Fact]
    public async Task A_wrong_or_missing_secret_is_401_and_stores_nothing()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        var wrong = await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"), "wh-secret-0123456789abcdeX");
        var missing = await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"), secret: null);
        var prefix = await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"), TelegramFixture.Secret[..10]);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, prefix.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Theory]
    [InlineData("{\"update_id\": 1, \"message\": ")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{}")]
    // A date past year 9999: Telegram.Bot's converter throws ArgumentOutOfRangeException, not JsonException (was a 500).
    [InlineData("{\"update_id\":1004,\"message\":{\"message_id\":6,\"date\":99999999999999,\"chat\":{\"id\":777,\"type\":\"private\"},\"text\":\"x\"}}")]
    public async Task Malformed_json_is_400_and_stores_nothing(string body)
    {
        var channelId = await fixture.CreateChannelIdAsync();

        var response = await fixture.PostUpdateAsync(channelId, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.False(string.IsNullOrEmpty(problem!["detail"]?.GetValue<string>()));
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("unhandled_inbound"));
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_413()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        var body = TelegramFixture.Sample("text").Replace("Здравствуйте!", new string('я', 1_100_000), StringComparison.Ordinal);

        var response = await fixture.PostUpdateAsync(channelId, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task An_unknown_channel_is_404_and_a_channel_of_another_kind_too()
    {
        var api = await fixture.CreateApiChannelAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.PostUpdateAsync(987_654, TelegramFixture.Sample("text"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.PostUpdateAsync(api.Id, TelegramFixture.Sample("text"))).StatusCode);
    }

    [Fact]
    public async Task A_disabled_channel_is_403_with_a_clear_detail()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        using var http = fixture.App.Http(fixture.AdminToken);
        (await http.PatchAsJsonAsync($"/api/channels/{channelId}", new { enabled = false })).EnsureSuccessStatusCode();

        var response = await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("disabled", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }
}
