using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Sms.Tests;

[Collection(SmsCollection.Name)]
public sealed class SmsChannelSetupTests(SmsFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_channel_stores_its_number_in_E164_hides_the_token_and_shows_the_two_console_urls()
    {
        var channel = await fixture.CreateSmsChannelAsync(fromNumber: "+1 (415) 555-0100");

        using var http = fixture.App.Http(fixture.AdminToken);
        var read = (await http.GetFromJsonAsync<JsonObject>($"/api/channels/{channel.Id}"))!;
        Assert.Equal("+14155550100", read["settings"]!["fromNumber"]!.GetValue<string>());
        Assert.Null(read["settings"]!["authToken"]);
        Assert.DoesNotContain(channel.AuthToken, read.ToJsonString());
        Assert.Equal($"https://cc.example.test/webhooks/twilio/{channel.Id}", read["public"]!["messagesUrl"]!.GetValue<string>());
        Assert.Equal($"https://cc.example.test/webhooks/twilio/{channel.Id}/status", read["public"]!["statusCallbackUrl"]!.GetValue<string>());
        await using var db = fixture.Db();
        Assert.Null(await db.ExecuteScalarAsync<string?>("select status_error from channels where id = @Id", new { channel.Id }));
        Assert.Contains(fixture.Twilio.LogEntries, e => e.RequestMessage.Path == $"/2010-04-01/Accounts/{channel.AccountSid}.json");
    }

    [Fact]
    public async Task A_full_public_url_with_a_query_string_is_used_as_given_and_status_goes_beside_it()
    {
        var channel = await fixture.CreateSmsChannelAsync(publicWebhookUrl: "https://proxy.example.test/in/sms?tenant=acme");

        Assert.Equal("https://proxy.example.test/in/sms?tenant=acme", channel.MessagesUrl);
        Assert.Equal("https://proxy.example.test/in/sms/status?tenant=acme", channel.StatusUrl);
    }

    [Fact]
    public async Task Bad_settings_are_refused_field_by_field()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "sms",
            name = "Texts",
            settings = new { accountSid = "ACnothex", authToken = "", fromNumber = "4155550100", publicWebhookUrl = "ftp://x", apiBaseUrl = "not a url" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("settings.accountSid", errors.Select(e => e.Key));
        Assert.Contains("settings.authToken", errors.Select(e => e.Key));
        Assert.Contains("settings.fromNumber", errors.Select(e => e.Key));
        Assert.Contains("settings.publicWebhookUrl", errors.Select(e => e.Key));
        Assert.Contains("settings.apiBaseUrl", errors.Select(e => e.Key));
        Assert.Equal(0, await fixture.CountAsync("channels"));

        // A web address with a user name and password in it: settings are shown to every admin.
        var withCredentials = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "sms",
            name = "Texts",
            settings = new
            {
                accountSid = SmsFixture.NewSid("AC"), authToken = "token", fromNumber = "+14155550100",
                publicWebhookUrl = "https://admin:hunter2@proxy.example.test/in", apiBaseUrl = "https://u:p@api.example.test",
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, withCredentials.StatusCode);
        var refused = (await withCredentials.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Equal(["settings.apiBaseUrl", "settings.publicWebhookUrl"], refused.Order());
        Assert.Equal(0, await fixture.CountAsync("channels"));
    }

    [Theory]
    [InlineData("+1 415 555 01")]      // too short
    [InlineData("+999 1234567")]       // no such country
    [InlineData("not a number")]
    public async Task A_number_that_is_not_a_valid_international_number_is_refused(string number)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "sms",
            name = "Texts",
            settings = new { accountSid = SmsFixture.NewSid("AC"), authToken = "token", fromNumber = number, publicWebhookUrl = SmsFixture.PublicBase },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Credentials_Twilio_rejects_are_shown_on_the_channel()
    {
        var sid = SmsFixture.NewSid("AC");
        fixture.Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{sid}.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"""));
        using var http = fixture.App.Http(fixture.AdminToken);

        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "sms",
            name = "Texts",
            settings = new { accountSid = sid, authToken = "wrong", fromNumber = "+442071838750", publicWebhookUrl = SmsFixture.PublicBase, apiBaseUrl = fixture.Twilio.Url },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var channel = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("+442071838750", channel["settings"]!["fromNumber"]!.GetValue<string>());
        Assert.Contains("20003", channel["statusError"]!.GetValue<string>());
        Assert.Contains("auth token", channel["statusError"]!.GetValue<string>());
        var sent = fixture.Twilio.LogEntries.Single(e => e.RequestMessage.Path == $"/2010-04-01/Accounts/{sid}.json");
        Assert.StartsWith("Basic ", sent.RequestMessage.Headers!["Authorization"].Single());
    }
}
