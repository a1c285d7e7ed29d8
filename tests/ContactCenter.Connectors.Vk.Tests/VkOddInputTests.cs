using System.Net;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.Vk.Tests;

/// <summary>
/// What an outside review sent the VK webhook (session 28): a lone UTF-16 surrogate (a 500 before the secret was even
/// checked), an edit far over the text limit (stored whole), a photo on a host that is not VK's (said "still being
/// fetched" for good).
/// </summary>
public sealed class VkOddInputTests(VkFixture fixture) : IClassFixture<VkFixture>, IAsyncLifetime
{
    private const string Original = "Здравствуйте! Сколько стоит доставка в Казань? 🚚";

    public Task InitializeAsync() => fixture.ResetVkAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_lone_surrogate_is_stored_as_a_replacement_character_and_an_unsigned_one_is_refused_as_any_unsigned_event()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        // VK cuts long texts between the halves of an emoji: the event carries "\ud83d" alone.
        var body = fixture.Sample("message_new_text").Replace(Original, "Доставка \\ud83d и \\udc4d конец", StringComparison.Ordinal);
        Assert.Contains("\\ud83d", body, StringComparison.Ordinal);

        var response = await fixture.PostEventAsync(channelId, body);

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        await using var db = fixture.Db();
        Assert.Equal("Доставка \uFFFD и \uFFFD конец", await db.ExecuteScalarAsync<string>("select text from messages"));

        var unsigned = await fixture.PostEventAsync(channelId, """{"type": "\ud800", "group_id": 218375120, "secret": "\udc00"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal("application/problem+json", unsigned.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task An_edit_is_cut_to_the_text_limit_a_new_message_has()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        await fixture.PostEventAsync(channelId, fixture.Sample("message_new_text"));
        var edit = JsonNode.Parse(fixture.Sample("message_edit"))!;
        edit["object"]!["text"] = new string('e', 450_000); // under the body's 1 MB as JSON

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, edit.ToJsonString())).StatusCode);

        await using var db = fixture.Db();
        Assert.Equal(200_000, await db.ExecuteScalarAsync<int>("select length(text) from messages"));
    }

    [Fact]
    public async Task A_file_that_cannot_be_fetched_says_why_instead_of_still_being_fetched()
    {
        var channelId = await fixture.CreateChannelIdAsync();
        var body = fixture.Sample("message_new_photo").Replace(fixture.Vk.Urls[0] + "/impg/c0VkPh0t0/w.jpg", "http://127.0.0.2:9/evil.jpg", StringComparison.Ordinal);
        Assert.Contains("127.0.0.2", body, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await fixture.PostEventAsync(channelId, body)).StatusCode);

        var reason = await fixture.EventuallyAsync<string?>("select fetch_error from attachments", v => v is not null);
        Assert.Contains("not a VK host", reason, StringComparison.Ordinal);
        await using var db = fixture.Db();
        var attachmentId = await db.ExecuteScalarAsync<long>("select id from attachments");
        using var admin = fixture.App.Http(fixture.AdminToken);
        var answer = await admin.GetAsync($"/api/attachments/{attachmentId}");
        Assert.Equal(HttpStatusCode.Gone, answer.StatusCode);
        var problem = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal("The file could not be fetched from the provider.", problem["detail"]!.GetValue<string>());
        Assert.Contains("not a VK host", problem["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("failed", await fixture.EventuallyAsync<string?>("select state from outbox where kind = 'media:vk'", v => v == "failed"));
        Assert.DoesNotContain(fixture.Vk.LogEntries, e => e.RequestMessage.Path.Contains("evil", StringComparison.Ordinal));
    }
}
