using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Voice.Tests;

[Collection(VoiceCollection.Name)]
public sealed class VoiceChannelSetupTests(VoiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonObject> CreateAsync(string sid, object? recordCalls = null, string ringStrategy = "simultaneous")
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "voice",
            name = "Phone",
            settings = new JsonObject
            {
                ["accountSid"] = sid, ["authToken"] = "secret-token-123", ["phoneNumber"] = "+1 415 555 0100",
                ["publicWebhookUrl"] = VoiceFixture.PublicBase, ["ringStrategy"] = ringStrategy, ["apiBaseUrl"] = fixture.Twilio.Url,
                ["recordCalls"] = recordCalls is null ? null : JsonValue.Create(recordCalls),
            },
        });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        body["status"] = (int)response.StatusCode;
        return body;
    }

    [Fact]
    public async Task A_saved_channel_shows_the_urls_to_paste_and_never_returns_the_token()
    {
        var sid = VoiceFixture.NewSid("AC");
        fixture.StubNumber(sid, VoiceFixture.ChannelNumber);

        var channel = await CreateAsync(sid, recordCalls: "true");

        Assert.Equal(201, channel["status"]!.GetValue<int>());
        Assert.Null(channel["statusError"]?.GetValue<string>());
        Assert.Equal(VoiceFixture.ChannelNumber, channel["settings"]!["phoneNumber"]!.GetValue<string>());
        Assert.True(channel["settings"]!["recordCalls"]!.GetValue<bool>());
        Assert.Null(channel["settings"]!["authToken"]);
        Assert.DoesNotContain("secret-token-123", channel.ToJsonString());
        var id = channel["id"]!.GetValue<long>();
        Assert.Equal($"{VoiceFixture.PublicBase}/webhooks/voice/{id}", channel["public"]!["voiceUrl"]!.GetValue<string>());
        Assert.Equal($"{VoiceFixture.PublicBase}/webhooks/voice/{id}/status", channel["public"]!["statusCallbackUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_number_that_is_not_on_the_account_or_a_rejected_token_is_shown_on_the_channel()
    {
        var other = VoiceFixture.NewSid("AC");
        fixture.StubNumber(other, "+14155550999");
        var rejected = VoiceFixture.NewSid("AC");
        fixture.Twilio.Given(Request.Create().WithPath($"/2010-04-01/Accounts/{rejected}/IncomingPhoneNumbers.json").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody("""{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"""));

        var wrongNumber = await CreateAsync(other);
        var wrongToken = await CreateAsync(rejected);

        Assert.Contains("is not a number of this Twilio account", wrongNumber["statusError"]!.GetValue<string>());
        Assert.Contains("20003", wrongToken["statusError"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_settings_are_a_400_naming_each_field()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "voice",
            name = "Phone",
            settings = new { accountSid = "nope", phoneNumber = "12", publicWebhookUrl = "ftp://x", recordCalls = 3, ringStrategy = "random", language = "de" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        foreach (var field in new[] { "accountSid", "authToken", "phoneNumber", "publicWebhookUrl", "recordCalls", "ringStrategy", "language" })
        {
            Assert.True(errors.ContainsKey("settings." + field), field + " has no error: " + errors.ToJsonString());
        }
        Assert.Equal(0, await fixture.CountAsync("channels"));
    }
}
