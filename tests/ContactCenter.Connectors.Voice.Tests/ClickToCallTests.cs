using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Voice.Tests;

[Collection(VoiceCollection.Name)]
public sealed class ClickToCallTests(VoiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private void StubCalls(VoiceFixture.VoiceChannel channel, string callSid) =>
        fixture.Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{channel.AccountSid}/Calls.json").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody($$"""
                {"sid":"{{callSid}}","account_sid":"{{channel.AccountSid}}","status":"queued","direction":"outbound-api","api_version":"2010-04-01",
                 "from":"{{VoiceFixture.ChannelNumber}}","uri":"/2010-04-01/Accounts/{{channel.AccountSid}}/Calls/{{callSid}}.json"}
                """));

    private async Task<long> ContactAsync()
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>("select id from contacts order by id limit 1");
    }

    [Fact]
    public async Task Click_to_call_rings_the_managers_phone_then_dials_the_contact_and_records_an_outbound_call()
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        var ann = await fixture.CreateUserAsync("ann", "manager", channel.Id);
        await fixture.SetPhoneAsync(ann, "+14155550111");
        await fixture.CallInAsync(channel, VoiceFixture.NewSid("CA"));
        var outboundSid = VoiceFixture.NewSid("CA");
        StubCalls(channel, outboundSid);

        using var http = fixture.App.Http(ann.Token);
        var response = await http.PostAsJsonAsync($"/api/contacts/{await ContactAsync()}/call", new { channelId = channel.Id });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(outboundSid, created["callSid"]!.GetValue<string>());
        var request = Assert.Single(fixture.Twilio.LogEntries, e => e.RequestMessage.Path.EndsWith("/Calls.json", StringComparison.Ordinal));
        var form = request.RequestMessage.Body!.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p[1]));
        Assert.Equal("+14155550111", form["To"]);
        Assert.Equal(VoiceFixture.ChannelNumber, form["From"]);
        var outboundUrl = channel.Url("outbound", "to=%2B14155550123");
        Assert.Equal(outboundUrl, form["Url"]);
        Assert.Equal(channel.StatusUrl, form["StatusCallback"]);

        // Ann picks up: Twilio asks the outbound step, which dials the contact from the channel's number.
        var values = fixture.Values(channel, outboundSid);
        values["AgentPhone"] = "+14155550111";
        var step = await fixture.PostAsync(channel, "outbound", VoiceFixture.Sample("outbound-answered", values), query: "to=%2B14155550123");
        Assert.Equal(HttpStatusCode.OK, step.StatusCode);
        var dial = XElement.Parse(await step.Content.ReadAsStringAsync()).Element("Dial")!;
        Assert.Equal(VoiceFixture.CustomerNumber, dial.Element("Number")!.Value);
        Assert.Equal(VoiceFixture.ChannelNumber, (string?)dial.Attribute("callerId"));

        await fixture.StatusAsync(channel, outboundSid, "completed", 30);
        var messageId = created["messageId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var conversationId = created["conversationId"]!.GetValue<long>();
        var message = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages"))!["items"]!.AsArray()
            .Single(m => m!["id"]!.GetValue<long>() == messageId)!;
        Assert.Equal("outbound", message["direction"]!.GetValue<string>());
        Assert.Equal("outbound", message["call"]!["direction"]!.GetValue<string>());
        Assert.Equal(VoiceFixture.CustomerNumber, message["call"]!["to"]!.GetValue<string>());
        Assert.Equal(30, message["call"]!["durationSeconds"]!.GetValue<int>());
        Assert.False(message["call"]!["missed"]!.GetValue<bool>());
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where type = 'call'"));
    }

    [Fact]
    public async Task A_call_id_twilio_answers_twice_is_one_call_record_not_a_500()
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        var ann = await fixture.CreateUserAsync("ann", "manager", channel.Id);
        await fixture.SetPhoneAsync(ann, "+14155550111");
        await fixture.CallInAsync(channel, VoiceFixture.NewSid("CA"));
        var replayed = VoiceFixture.NewSid("CA");
        StubCalls(channel, replayed);
        using var http = fixture.App.Http(ann.Token);
        var contact = await ContactAsync();

        var first = (await (await http.PostAsJsonAsync($"/api/contacts/{contact}/call", new { channelId = channel.Id })).Content.ReadFromJsonAsync<JsonObject>())!;
        await using var db = fixture.Db();
        const string Records = "select (select count(*) from messages) || '/' || (select count(*) from timeline_entries)";
        var after = await db.ExecuteScalarAsync<string>(Records);
        var again = await http.PostAsJsonAsync($"/api/contacts/{contact}/call", new { channelId = channel.Id });

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var second = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(first["messageId"]!.GetValue<long>(), second["messageId"]!.GetValue<long>());
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from messages where external_id = @replayed", new { replayed }));
        Assert.Equal(after, await db.ExecuteScalarAsync<string>(Records));
    }

    [Fact]
    public async Task Click_to_call_is_400_without_the_managers_phone_or_the_contacts_number()
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        var ann = await fixture.CreateUserAsync("ann", "manager", channel.Id);
        await fixture.CallInAsync(channel, VoiceFixture.NewSid("CA"));
        var api = await fixture.CreateApiChannelAsync();
        await fixture.IngestAsync(api, "m-1", "crm-42", "Hello from the site", name: "No Phone");
        await using var db = fixture.Db();
        var noNumber = await db.ExecuteScalarAsync<long>("select id from contacts where phone is null");
        using var http = fixture.App.Http(ann.Token);
        using var admin = fixture.App.Http(fixture.AdminToken);

        var withoutPhone = await http.PostAsJsonAsync($"/api/contacts/{await ContactAsync()}/call", new { });
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/me", new { phone = "+14155550199" })).StatusCode);
        var withoutNumber = await admin.PostAsJsonAsync($"/api/contacts/{noNumber}/call", new { channelId = channel.Id });
        var badPhone = await http.PatchAsJsonAsync("/api/me", new { phone = "12345" });

        Assert.Equal(HttpStatusCode.BadRequest, withoutPhone.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutNumber.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPhone.StatusCode);
        Assert.DoesNotContain(fixture.Twilio.LogEntries, e => e.RequestMessage.Path.EndsWith("/Calls.json", StringComparison.Ordinal));
        Assert.Equal(2, await fixture.CountAsync("messages")); // the call and the site message: nothing new
    }

    [Fact]
    public async Task A_manager_outside_the_channel_neither_sees_the_call_nor_can_call_the_contact()
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        var other = await fixture.CreateApiChannelAsync();
        var outsider = await fixture.CreateUserAsync("olga", "manager", other.Id);
        await fixture.SetPhoneAsync(outsider, "+14155550133");
        await fixture.CallInAsync(channel, VoiceFixture.NewSid("CA"));
        StubCalls(channel, VoiceFixture.NewSid("CA"));
        await using var db = fixture.Db();
        var conversationId = await db.ExecuteScalarAsync<long>("select id from conversations");
        var leadId = await db.ExecuteScalarAsync<long>("select id from leads");
        using var http = fixture.App.Http(outsider.Token);

        var messages = await http.GetAsync($"/api/conversations/{conversationId}/messages");
        var timeline = await http.GetAsync($"/api/leads/{leadId}/timeline");
        var call = await http.PostAsJsonAsync($"/api/contacts/{await ContactAsync()}/call", new { channelId = channel.Id });

        Assert.Equal(HttpStatusCode.NotFound, messages.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, timeline.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, call.StatusCode);
        Assert.DoesNotContain(fixture.Twilio.LogEntries, e => e.RequestMessage.Path.EndsWith("/Calls.json", StringComparison.Ordinal));

        // Even when the lead is theirs, a call in a conversation someone else works stays that manager's.
        var owner = await fixture.CreateUserAsync("pete", "manager", channel.Id);
        await db.ExecuteAsync("update leads set assignee_id = @outsider; update conversations set assignee_id = @owner",
            new { outsider = outsider.Id, owner = owner.Id });
        var items = (await http.GetFromJsonAsync<JsonObject>($"/api/leads/{leadId}/timeline"))!["items"]!.AsArray();
        Assert.DoesNotContain(items, e => e!["type"]!.GetValue<string>() == "call");

        // Seeing the contact through that lead, and working the voice line too, does not let them call into the
        // conversation Pete has: refused before anything is dialled, nothing written into Pete's conversation.
        await db.ExecuteAsync("insert into channel_members (channel_id, user_id) values (@channel, @outsider)", new { channel = channel.Id, outsider = outsider.Id });
        var messagesBefore = await fixture.CountAsync("messages");
        var intoColleagues = await http.PostAsJsonAsync($"/api/contacts/{await ContactAsync()}/call", new { channelId = channel.Id });
        Assert.Equal(HttpStatusCode.BadRequest, intoColleagues.StatusCode);
        Assert.Contains("colleague", await intoColleagues.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Twilio.LogEntries, e => e.RequestMessage.Path.EndsWith("/Calls.json", StringComparison.Ordinal));
        Assert.Equal(messagesBefore, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task Call_statistics_count_answered_missed_and_talk_time_per_manager_for_supervisors_only()
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        var (ann, hub) = await fixture.OnlineManagerAsync("ann", "+14155550111", channel.Id);
        var answered = VoiceFixture.NewSid("CA");
        await fixture.CallInAsync(channel, answered);
        await fixture.AnsweredAsync(channel, answered, ann, "+14155550111");
        await fixture.StatusAsync(channel, answered, "completed", 45);
        await hub.DisposeAsync();
        var missed = VoiceFixture.NewSid("CA");
        await fixture.CallInAsync(channel, missed, from: "+14155550124");
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update leads set assignee_id = @id", new { id = ann.Id });
        }
        await fixture.StatusAsync(channel, missed, "no-answer", 0);
        var supervisor = await fixture.CreateUserAsync("sam", "supervisor");

        using var http = fixture.App.Http(supervisor.Token);
        var stats = (await http.GetFromJsonAsync<JsonObject>("/api/stats/calls"))!;
        using var manager = fixture.App.Http(ann.Token);
        var forbidden = await manager.GetAsync("/api/stats/calls");

        var row = Assert.Single(stats["managers"]!.AsArray())!;
        Assert.Equal(ann.Id, row["userId"]!.GetValue<long>());
        Assert.Equal(1, row["answered"]!.GetValue<long>());
        Assert.Equal(1, row["missed"]!.GetValue<long>());
        Assert.Equal(45, row["talkSeconds"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/stats/calls?from=2026-02-01&to=2026-01-01")).StatusCode);
    }
}
