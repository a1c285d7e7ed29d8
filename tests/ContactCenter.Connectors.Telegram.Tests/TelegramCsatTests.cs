using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.Telegram.Tests;

/// <summary>CSAT in Telegram: the survey goes with an inline keyboard; a tap (callback_query) is recorded once and answered.</summary>
public sealed class TelegramCsatTests(TelegramFixture fixture) : IClassFixture<TelegramFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetTelegramAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Tap(long surveyId, int rating, long fromId = 5551234567, int updateId = 815200500) => new JsonObject
    {
        ["update_id"] = updateId,
        ["callback_query"] = new JsonObject
        {
            ["id"] = $"cb-{updateId}",
            ["from"] = new JsonObject { ["id"] = fromId, ["is_bot"] = false, ["first_name"] = "Анна" },
            ["message"] = new JsonObject
            {
                ["message_id"] = 1400,
                ["chat"] = new JsonObject { ["id"] = fromId, ["type"] = "private", ["first_name"] = "Анна" },
                ["date"] = 1764170300,
                ["text"] = "How did we do?",
            },
            ["chat_instance"] = "-4736128371028371",
            ["data"] = $"csat:{surveyId}:{rating}",
        },
    }.ToJsonString();

    [Fact]
    public async Task The_survey_has_rating_buttons_and_a_tap_is_recorded_once_and_answered()
    {
        fixture.StubOk("sendMessage", TelegramFixture.SentMessage(5551234567, 1400, "How did we do?"));
        fixture.StubOk("answerCallbackQuery", true);
        long channelId;
        using (var admin = fixture.App.Http(fixture.AdminToken))
        {
            var response = await admin.PostAsJsonAsync("/api/channels", new
            {
                kind = "telegram",
                name = "Rated bot",
                settings = new
                {
                    botToken = TelegramFixture.Token, webhookSecret = TelegramFixture.Secret, apiBaseUrl = fixture.BotApiUrl,
                    csat = new { enabled = true, question = "How did we do?" },
                },
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            channelId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        }
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, TelegramFixture.Sample("text"))).StatusCode);
        long conversation;
        await using (var db = fixture.Db())
        {
            conversation = await db.ExecuteScalarAsync<long>("select id from conversations");
        }
        using (var admin = fixture.App.Http(fixture.AdminToken))
        {
            (await admin.PostAsJsonAsync($"/api/conversations/{conversation}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        }
        var surveyId = await fixture.EventuallyAsync<long>(
            "select s.id from csat_surveys s join messages m on m.id = s.message_id where m.status = 'sent'", id => id > 0);

        var sent = JsonNode.Parse(Assert.Single(fixture.Calls("sendMessage")).RequestMessage.Body!)!;
        var buttons = sent["reply_markup"]!["inline_keyboard"]!.AsArray().SelectMany(row => row!.AsArray()).ToList();
        Assert.Equal(Enumerable.Range(1, 5).Select(r => $"csat:{surveyId}:{r}"), buttons.Select(b => b!["callback_data"]!.GetValue<string>()));

        // Someone else's tap changes nothing; the customer's is recorded; a second tap keeps the first rating.
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, Tap(surveyId, 1, fromId: 999, updateId: 815200499))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, Tap(surveyId, 5))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.PostUpdateAsync(channelId, Tap(surveyId, 2, updateId: 815200501))).StatusCode);

        await using (var db = fixture.Db())
        {
            Assert.Equal(5, await db.ExecuteScalarAsync<int>("select rating from csat_surveys where id = @surveyId", new { surveyId }));
            Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from unhandled_inbound"));
        }
        var answers = fixture.Calls("answerCallbackQuery").Select(c => JsonNode.Parse(c.RequestMessage.Body!)!).ToList();
        Assert.Equal(["cb-815200499", "cb-815200500", "cb-815200501"], answers.Select(a => a["callback_query_id"]!.GetValue<string>()));
        Assert.Equal("Thank you for your rating!", answers[1]["text"]!.GetValue<string>());
    }
}
