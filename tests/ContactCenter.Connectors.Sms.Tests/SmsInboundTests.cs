using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Api;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Sms.Tests;

[Collection(SmsCollection.Name)]
public sealed class SmsInboundTests(SmsFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_incoming_text_is_stored_then_answered_with_empty_twiml()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        var sid = SmsFixture.NewSid("SM");

        var response = await fixture.PostIncomingAsync(channel, SmsFixture.IncomingFields(channel, sid, "Hi! Is the blue sofa still available?", from: "+1 415-555-0123"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith("<Response/>", await response.Content.ReadAsStringAsync());
        await using var db = fixture.Db();
        var message = await db.QuerySingleAsync<(string Text, string ExternalId, string Direction, string Metadata)>(
            "select text, external_id, direction, metadata::text as metadata from messages");
        Assert.Equal("Hi! Is the blue sofa still available?", message.Text);
        Assert.Equal(sid, message.ExternalId);
        Assert.Equal("inbound", message.Direction);
        Assert.Contains(channel.FromNumber, message.Metadata);
        var identity = await db.QuerySingleAsync<(string ChannelKind, string Address, string? Phone)>(
            "select i.channel_kind, i.address, c.phone from contact_identities i join contacts c on c.id = i.contact_id");
        Assert.Equal(("sms", "+14155550123", "+14155550123"), identity);
        Assert.Equal(1, await fixture.CountAsync("conversations"));
        Assert.Equal(1, await fixture.CountAsync("leads"));
    }

    [Fact]
    public async Task A_repeated_MessageSid_is_stored_once()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        var fields = SmsFixture.IncomingFields(channel, SmsFixture.NewSid("SM"), "Same message twice");

        var first = await fixture.PostIncomingAsync(channel, fields);
        var second = await fixture.PostIncomingAsync(channel, fields);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.EndsWith("<Response/>", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await fixture.CountAsync("messages"));
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select inbound_count from conversations"));
    }

    [Fact]
    public async Task A_bad_or_missing_signature_is_refused_with_403_and_nothing_is_stored()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        var fields = SmsFixture.IncomingFields(channel, SmsFixture.NewSid("SM"), "Forged");
        var localUrl = new Uri(fixture.App.BaseAddress, $"/webhooks/twilio/{channel.Id}").ToString();
        var tampered = new Dictionary<string, string>(fields) { ["Body"] = "Forged, changed" };

        var wrongToken = await fixture.PostIncomingAsync(channel, fields, SmsFixture.Sign("0123456789abcdef0123456789abcdef", channel.MessagesUrl, fields));
        var signedForLocalHost = await fixture.PostIncomingAsync(channel, fields, SmsFixture.Sign(channel.AuthToken, localUrl, fields));
        var changedAfterSigning = await fixture.PostIncomingAsync(channel, tampered, SmsFixture.Sign(channel.AuthToken, channel.MessagesUrl, fields));
        var missing = await fixture.PostIncomingAsync(channel, fields, signature: "");

        foreach (var response in new[] { wrongToken, signedForLocalHost, changedAfterSigning, missing })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task Twilios_published_vector_passes_the_signature_check_of_a_channel_with_its_url_and_token()
    {
        // Token 12345 and the documented URL: the signature passes, so the post gets as far as field checks (no MessageSid).
        var channel = await fixture.CreateSmsChannelAsync(publicWebhookUrl: "https://mycompany.com/myapp.php?foo=1&bar=2", authToken: "12345");
        var fields = new Dictionary<string, string>
        {
            ["CallSid"] = "CA1234567890ABCDE", ["Caller"] = "+14158675309", ["Digits"] = "1234", ["From"] = "+14158675309", ["To"] = "+18005551212",
        };

        var response = await fixture.PostIncomingAsync(channel, fields, "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        fields["Digits"] = "9999";
        var altered = await fixture.PostIncomingAsync(channel, fields, "RSOYDt4T1cUTdK1PDd93/VVr8B8=");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["MessageSid"], errors.Select(e => e.Key).ToArray());
        Assert.Equal(HttpStatusCode.Forbidden, altered.StatusCode);
    }

    [Theory]
    [InlineData("From")]
    [InlineData("MessageSid")]
    public async Task A_signed_post_without_From_or_MessageSid_is_refused_with_400(string field)
    {
        var channel = await fixture.CreateSmsChannelAsync();
        var fields = SmsFixture.IncomingFields(channel, SmsFixture.NewSid("SM"), "Incomplete");
        fields.Remove(field);

        var response = await fixture.PostIncomingAsync(channel, fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains(field, errors.Select(e => e.Key));
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task Other_kinds_of_post_are_refused_unknown_channel_404_json_415()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        using var http = fixture.App.Http();

        var unknown = await fixture.PostSignedAsync("/webhooks/twilio/999999", channel.MessagesUrl, channel.AuthToken, SmsFixture.IncomingFields(channel, "SM1", "x"));
        var json = await http.PostAsync($"/webhooks/twilio/{channel.Id}", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    [Fact]
    public async Task A_disabled_channel_or_a_post_for_another_account_stores_nothing()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        var otherAccount = SmsFixture.IncomingFields(channel, SmsFixture.NewSid("SM"), "Wrong account");
        otherAccount["AccountSid"] = SmsFixture.NewSid("AC");
        var forOtherAccount = await fixture.PostIncomingAsync(channel, otherAccount);
        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            var patch = await http.PatchAsJsonAsync($"/api/channels/{channel.Id}", new { enabled = false });
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        var whileDisabled = await fixture.PostIncomingAsync(channel, SmsFixture.IncomingFields(channel, SmsFixture.NewSid("SM"), "Anyone there?"));

        Assert.Equal(HttpStatusCode.Forbidden, forOtherAccount.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, whileDisabled.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task Mms_media_is_fetched_with_the_account_credentials_and_attached()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        var sid = SmsFixture.NewSid("MM");
        var mediaPath = $"/2010-04-01/Accounts/{channel.AccountSid}/Messages/{sid}/Media";
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5];
        var vcard = Encoding.UTF8.GetBytes("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Roe\r\nEND:VCARD\r\n");
        fixture.Twilio.Given(Request.Create().WithPath(mediaPath + "/ME0001").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "image/jpeg").WithBody(jpeg));
        fixture.Twilio.Given(Request.Create().WithPath(mediaPath + "/ME0002").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/vcard").WithBody(vcard));
        var fields = SmsFixture.IncomingFields(channel, sid, "Here is the photo and my card");
        fields["NumMedia"] = "2";
        fields["MediaUrl0"] = "https://api.twilio.com" + mediaPath + "/ME0001";
        fields["MediaContentType0"] = "image/jpeg";
        fields["MediaUrl1"] = "https://api.twilio.com" + mediaPath + "/ME0002";
        fields["MediaContentType1"] = "text/vcard";

        var response = await fixture.PostIncomingAsync(channel, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await fixture.EventuallyAsync<long>("select count(*) from attachments where storage_path is not null", n => n == 2);
        await using var db = fixture.Db();
        var attachments = (await db.QueryAsync<(long Id, string FileName, string ContentType, long Size)>(
            "select id, file_name, content_type, size from attachments order by id")).ToList();
        Assert.Equal(["ME0001.jpg", "ME0002.vcf"], attachments.Select(a => a.FileName).ToArray());
        Assert.Equal(["image/jpeg", "text/vcard"], attachments.Select(a => a.ContentType).ToArray());
        Assert.Equal(jpeg.Length, attachments[0].Size);
        // Each fetched file changed what the message shows: its revision grew with each (0 as stored).
        Assert.Equal(2, await db.ExecuteScalarAsync<int>("select revision from messages where direction = 'inbound'"));

        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{channel.AccountSid}:{channel.AuthToken}"));
        var fetches = fixture.Twilio.LogEntries.Where(e => e.RequestMessage.Path.StartsWith(mediaPath, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, fetches.Count);
        Assert.All(fetches, f => Assert.Equal(expectedAuth, f.RequestMessage.Headers!["Authorization"].Single()));

        using var http = fixture.App.Http(fixture.AdminToken);
        Assert.Equal(jpeg, await http.GetByteArrayAsync($"/api/attachments/{attachments[0].Id}"));
        Assert.Equal(vcard, await http.GetByteArrayAsync($"/api/attachments/{attachments[1].Id}"));
        var page = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{await fixture.ConversationIdAsync()}/messages"))!;
        Assert.Equal(2, page["items"]![0]!["attachments"]!.AsArray().Count);
        Assert.Equal("done", await db.ExecuteScalarAsync<string>("select state from outbox where kind = 'media:sms'"));
    }

    [Fact]
    public async Task A_customer_texting_joins_the_contact_that_has_their_phone_from_another_channel()
    {
        var api = await fixture.CreateApiChannelAsync();
        var body = """{"externalId":"crm-1","contact":{"externalId":"crm-contact-7","name":"Jane Roe","phone":"+14155550123"},"text":"Web enquiry"}""";
        var first = await fixture.PostInboundAsync(api, body);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var sms = await fixture.CreateSmsChannelAsync();

        await fixture.TextAsync(sms, "Texting you about my enquiry", from: "+14155550123");

        Assert.Equal(1, await fixture.CountAsync("contacts"));
        await using var db = fixture.Db();
        var kinds = (await db.QueryAsync<string>("select channel_kind from contact_identities order by channel_kind")).ToArray();
        Assert.Equal(["api", "sms"], kinds);
        Assert.Equal("Jane Roe", await db.ExecuteScalarAsync<string>("select name from contacts"));
    }
}
