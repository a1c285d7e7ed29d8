using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.Connectors.Sms.Tests;

/// <summary>
/// Twilio takes at most 1,600 characters in one Messages create (error 21617 otherwise): a longer SMS reply is a 400 before
/// anything is stored or queued, not a message that fails later at Twilio. Notes stay as long as any other.
/// </summary>
[Collection(SmsCollection.Name)]
public sealed class SmsReplyLengthTests(SmsFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_reply_over_1600_characters_is_refused_up_front_and_one_of_1600_is_sent()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        await fixture.TextAsync(channel, "Пришлите, пожалуйста, договор целиком");
        var conversationId = await fixture.ConversationIdAsync();
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.Created(channel, sid);

        var tooLong = await fixture.ReplyAsync(conversationId, new string('Я', 1601));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var problem = (await tooLong.Content.ReadFromJsonAsync<JsonObject>())!;
        var error = problem["errors"]!["text"]![0]!.GetValue<string>();
        Assert.Contains("at most 1600 characters", error);
        Assert.Contains("1601", error);

        // The same text as a private note is the team's own: no SMS limit.
        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            var note = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = new string('Я', 1601), @private = true });
            Assert.True(note.IsSuccessStatusCode, await note.Content.ReadAsStringAsync());
        }

        // The liveness marker: a reply of exactly 1,600 characters leaves, and it is the only one Twilio ever saw.
        var fits = await fixture.ReplyAsync(conversationId, new string('Я', 1600));
        Assert.Equal(HttpStatusCode.Accepted, fits.StatusCode);
        await fixture.EventuallyAsync<string>("select status from messages where direction = 'outbound' order by id desc limit 1",
            s => s == "sent");
        var create = Assert.Single(fixture.Twilio.Creates(channel));
        Assert.Equal(1600, create.Form()["Body"].Length);
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("select count(*) from messages where direction = 'outbound'"));
    }
}
