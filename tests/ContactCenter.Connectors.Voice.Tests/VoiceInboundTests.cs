using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dapper;

namespace ContactCenter.Connectors.Voice.Tests;

[Collection(VoiceCollection.Name)]
public sealed class VoiceInboundTests(VoiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static List<string> Numbers(XElement twiml) => twiml.Element("Dial")?.Elements("Number").Select(n => n.Value).ToList() ?? [];

    [Fact]
    public async Task An_incoming_call_rings_every_online_manager_with_a_phone_and_is_stored_once_as_a_call_on_the_timeline()
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        var (ann, annHub) = await fixture.OnlineManagerAsync("ann", "+14155550111", channel.Id);
        var (_, bobHub) = await fixture.OnlineManagerAsync("bob", "+14155550112", channel.Id);
        var noPhone = await fixture.CreateUserAsync("carl", "manager", channel.Id);
        await using var carlHub = await fixture.ConnectHubAsync(noPhone.Token);
        var offline = await fixture.CreateUserAsync("dina", "manager", channel.Id);
        await fixture.SetPhoneAsync(offline, "+14155550114");
        var sid = VoiceFixture.NewSid("CA");

        var twiml = await fixture.CallInAsync(channel, sid);
        var again = await fixture.CallInAsync(channel, sid);

        Assert.Equal(["+14155550111", "+14155550112"], Numbers(twiml));
        var dial = twiml.Element("Dial")!;
        Assert.Equal(channel.Url("dial", "next=2"), (string?)dial.Attribute("action"));
        Assert.Equal(VoiceFixture.ChannelNumber, (string?)dial.Attribute("callerId"));
        Assert.Equal(channel.Url("answered", $"user={ann.Id}"), (string?)dial.Elements("Number").First().Attribute("url"));
        Assert.Null(dial.Attribute("record"));
        Assert.Equal(twiml.ToString(), again.ToString());

        Assert.Equal(1, await fixture.CountAsync("messages"));
        Assert.Equal(1, await fixture.CountAsync("contacts"));
        Assert.Equal(1, await fixture.CountAsync("leads"));
        await using var db = fixture.Db();
        var identity = await db.QuerySingleAsync<(string Kind, string Address, string Phone)>(
            "select i.channel_kind, i.address, c.phone from contact_identities i join contacts c on c.id = i.contact_id");
        Assert.Equal(("voice", VoiceFixture.CustomerNumber, VoiceFixture.CustomerNumber), identity);
        var leadId = await db.ExecuteScalarAsync<long>("select id from leads");
        var conversationId = await db.ExecuteScalarAsync<long>("select id from conversations");

        using var admin = fixture.App.Http(fixture.AdminToken);
        var timeline = (await admin.GetFromJsonAsync<JsonObject>($"/api/leads/{leadId}/timeline"))!["items"]!.AsArray();
        var call = Assert.Single(timeline, e => e!["type"]!.GetValue<string>() == "call")!;
        Assert.Equal(VoiceFixture.CustomerNumber, call["data"]!["call"]!["from"]!.GetValue<string>());
        Assert.Equal("inbound", call["data"]!["call"]!["direction"]!.GetValue<string>());
        var message = (await admin.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages"))!["items"]!.AsArray().Single()!;
        Assert.Equal("call", message["kind"]!.GetValue<string>());
        Assert.Equal("inbound", message["direction"]!.GetValue<string>());
        Assert.Equal(VoiceFixture.ChannelNumber, message["call"]!["to"]!.GetValue<string>());
        Assert.False(message["call"]!["missed"]!.GetValue<bool>());
        await annHub.DisposeAsync();
        await bobHub.DisposeAsync();
    }

    [Fact]
    public async Task Sequential_ringing_tries_one_manager_at_a_time_then_says_nobody_is_available()
    {
        var channel = await fixture.CreateVoiceChannelAsync(ringStrategy: "sequential");
        var (_, annHub) = await fixture.OnlineManagerAsync("ann", "+14155550111", channel.Id);
        var (_, bobHub) = await fixture.OnlineManagerAsync("bob", "+14155550112", channel.Id);
        var sid = VoiceFixture.NewSid("CA");

        var first = await fixture.CallInAsync(channel, sid);
        var second = await fixture.DialOutcomeAsync(channel, sid, next: 1, "no-answer");
        var last = await fixture.DialOutcomeAsync(channel, sid, next: 2, "busy");

        Assert.Equal(["+14155550111"], Numbers(first));
        Assert.Equal(channel.Url("dial", "next=1"), (string?)first.Element("Dial")!.Attribute("action"));
        Assert.Equal(["+14155550112"], Numbers(second));
        Assert.Equal(channel.Url("dial", "next=2"), (string?)second.Element("Dial")!.Attribute("action"));
        Assert.Empty(Numbers(last));
        Assert.Equal("All our managers are busy right now.", last.Element("Say")!.Value);
        Assert.NotNull(last.Element("Hangup"));
        await annHub.DisposeAsync();
        await bobHub.DisposeAsync();
    }

    [Fact]
    public async Task A_call_when_nobody_is_online_hears_a_message_and_hangs_up_or_leaves_a_voicemail_when_recording_is_on()
    {
        var plain = await fixture.CreateVoiceChannelAsync();
        var recorded = await fixture.CreateVoiceChannelAsync(recordCalls: true, language: "ru");
        var offline = await fixture.CreateUserAsync("ann", "manager", plain.Id, recorded.Id);
        await fixture.SetPhoneAsync(offline, "+14155550111");

        var hangUp = await fixture.CallInAsync(plain, VoiceFixture.NewSid("CA"));
        var voicemail = await fixture.CallInAsync(recorded, VoiceFixture.NewSid("CA"), from: "+14155550124");

        Assert.Null(hangUp.Element("Dial"));
        Assert.NotNull(hangUp.Element("Hangup"));
        Assert.Null(hangUp.Element("Record"));
        Assert.Equal("ru-RU", (string?)voicemail.Element("Say")!.Attribute("language"));
        Assert.StartsWith("Сейчас все менеджеры заняты.", voicemail.Element("Say")!.Value);
        Assert.Equal(recorded.Url("recording"), (string?)voicemail.Element("Record")!.Attribute("recordingStatusCallback"));
    }

    [Fact]
    public async Task A_completed_call_records_who_answered_and_its_duration()
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        var (ann, annHub) = await fixture.OnlineManagerAsync("ann", "+14155550111", channel.Id);
        var sid = VoiceFixture.NewSid("CA");
        await fixture.CallInAsync(channel, sid);

        await fixture.AnsweredAsync(channel, sid, ann, "+14155550111");
        var after = await fixture.DialOutcomeAsync(channel, sid, next: 1, "completed", duration: 42);
        await fixture.StatusAsync(channel, sid, "completed", 45);

        Assert.NotNull(after.Element("Hangup"));
        using var admin = fixture.App.Http(fixture.AdminToken);
        await using var db = fixture.Db();
        var conversationId = await db.ExecuteScalarAsync<long>("select id from conversations");
        var call = (await admin.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages"))!["items"]!.AsArray().Single()!["call"]!;
        Assert.Equal(45, call["durationSeconds"]!.GetValue<int>());
        Assert.Equal("completed", call["status"]!.GetValue<string>());
        Assert.Equal("ann", call["answeredBy"]!.GetValue<string>());
        Assert.Equal(ann.Id, call["answeredByUserId"]!.GetValue<long>());
        Assert.False(call["missed"]!.GetValue<bool>());
        Assert.Equal(0, await fixture.CountAsync("activities"));
        var timelineCall = await db.ExecuteScalarAsync<string>("select data -> 'call' ->> 'durationSeconds' from timeline_entries where type = 'call'");
        Assert.Equal("45", timelineCall);
        await annHub.DisposeAsync();
    }

    [Fact]
    public async Task A_missed_call_creates_one_call_back_activity_for_the_assignee_due_now()
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        var ann = await fixture.CreateUserAsync("ann", "manager", channel.Id);
        var sid = VoiceFixture.NewSid("CA");
        await fixture.CallInAsync(channel, sid);
        await using var db = fixture.Db();
        var leadId = await db.ExecuteScalarAsync<long>("update leads set assignee_id = @id returning id", new { id = ann.Id });

        await fixture.StatusAsync(channel, sid, "no-answer", 0);
        await fixture.StatusAsync(channel, sid, "no-answer", 0);

        var activity = await db.QuerySingleAsync<(string SubjectType, long SubjectId, string Type, string Title, long AssigneeId, DateTime DueAt)>(
            "select subject_type, subject_id, type, title, assignee_id, due_at from activities");
        Assert.Equal(("lead", leadId, "call", ann.Id), (activity.SubjectType, activity.SubjectId, activity.Type, activity.AssigneeId));
        Assert.Contains(VoiceFixture.CustomerNumber, activity.Title);
        Assert.True(activity.DueAt <= DateTime.UtcNow.AddSeconds(1));
        using var http = fixture.App.Http(ann.Token);
        var conversationId = await db.ExecuteScalarAsync<long>("select id from conversations");
        var call = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages"))!["items"]!.AsArray().Single()!["call"]!;
        Assert.True(call["missed"]!.GetValue<bool>());
        Assert.Equal("no-answer", call["status"]!.GetValue<string>());
        Assert.Equal("true", await db.ExecuteScalarAsync<string>("select data -> 'call' ->> 'missed' from timeline_entries where type = 'call'"));
    }

    [Fact]
    public async Task A_text_and_a_call_from_one_number_are_one_contact()
    {
        var voice = await fixture.CreateVoiceChannelAsync();
        var sms = await fixture.CreateChannelAsync("sms", "Texts", new JsonObject
        {
            ["accountSid"] = voice.AccountSid, ["authToken"] = voice.AuthToken, ["fromNumber"] = VoiceFixture.ChannelNumber,
            ["publicWebhookUrl"] = VoiceFixture.PublicBase, ["apiBaseUrl"] = fixture.Twilio.Url,
        });
        var smsId = sms["id"]!.GetValue<long>();
        var fields = new Dictionary<string, string>
        {
            ["MessageSid"] = VoiceFixture.NewSid("SM"), ["AccountSid"] = voice.AccountSid, ["From"] = VoiceFixture.CustomerNumber,
            ["To"] = VoiceFixture.ChannelNumber, ["Body"] = "Call me please", ["NumMedia"] = "0",
        };
        using (var http = fixture.App.Http())
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/twilio/{smsId}") { Content = new FormUrlEncodedContent(fields) })
        {
            request.Headers.TryAddWithoutValidation("X-Twilio-Signature",
                VoiceFixture.Sign(voice.AuthToken, sms["public"]!["messagesUrl"]!.GetValue<string>(), fields));
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }

        await fixture.CallInAsync(voice, VoiceFixture.NewSid("CA"));

        Assert.Equal(1, await fixture.CountAsync("contacts"));
        Assert.Equal(2, await fixture.CountAsync("contact_identities"));
        Assert.Equal(1, await fixture.CountAsync("leads"));
    }
}
