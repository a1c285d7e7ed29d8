using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Voice.Tests;

[Collection(VoiceCollection.Name)]
public sealed class VoiceRecordingTests(VoiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_recorded_call_says_the_notice_and_its_recording_is_fetched_and_attached_to_the_call()
    {
        var channel = await fixture.CreateVoiceChannelAsync(recordCalls: true);
        var (_, hub) = await fixture.OnlineManagerAsync("ann", "+14155550111", channel.Id);
        var sid = VoiceFixture.NewSid("CA");
        var recordingSid = VoiceFixture.NewSid("RE");
        var audio = VoiceFixture.TinyWav();
        var mediaPath = $"/2010-04-01/Accounts/{channel.AccountSid}/Recordings/{recordingSid}.mp3";
        fixture.Twilio.Given(Request.Create().WithPath(mediaPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "audio/mpeg").WithBody(audio));

        var twiml = await fixture.CallInAsync(channel, sid);
        var values = fixture.Values(channel, sid);
        values["RecordingSid"] = recordingSid;
        var fields = VoiceFixture.Sample("recording-completed", values);
        var first = await fixture.PostAsync(channel, "recording", fields);
        var again = await fixture.PostAsync(channel, "recording", fields);

        Assert.Equal("This call may be recorded.", twiml.Element("Say")!.Value);
        Assert.Equal("record-from-answer", (string?)twiml.Element("Dial")!.Attribute("record"));
        Assert.Equal(channel.Url("recording"), (string?)twiml.Element("Dial")!.Attribute("recordingStatusCallback"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var attachmentId = await fixture.EventuallyAsync<long?>(
            "select (metadata ->> 'callRecordingAttachmentId')::bigint from messages", id => id is not null);
        Assert.Equal(1, await fixture.CountAsync("attachments"));
        var fetch = Assert.Single(fixture.Twilio.LogEntries, e => e.RequestMessage.Path == mediaPath);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{channel.AccountSid}:{channel.AuthToken}")),
            fetch.RequestMessage.Headers!["Authorization"].Single());

        using var admin = fixture.App.Http(fixture.AdminToken);
        var download = await admin.GetAsync($"/api/attachments/{attachmentId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("audio/mpeg", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(audio, await download.Content.ReadAsByteArrayAsync());
        await using var db = fixture.Db();
        var conversationId = await db.ExecuteScalarAsync<long>("select id from conversations");
        var message = (await admin.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages"))!["items"]!.AsArray().Single()!;
        Assert.Equal(attachmentId, message["call"]!["recordingAttachmentId"]!.GetValue<long>());
        Assert.Equal(attachmentId.ToString(), await db.ExecuteScalarAsync<string>(
            "select data -> 'call' ->> 'recordingAttachmentId' from timeline_entries where type = 'call'"));
        await hub.DisposeAsync();
    }
}
