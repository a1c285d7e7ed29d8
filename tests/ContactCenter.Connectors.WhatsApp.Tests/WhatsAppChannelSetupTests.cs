using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.WhatsApp.Tests;

[Collection(WhatsAppCollection.Name)]
public sealed class WhatsAppChannelSetupTests(WhatsAppFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_channel_checks_its_token_on_the_phone_number_hides_its_secrets_and_shows_the_public_webhook_url()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        using var http = fixture.App.Http(fixture.AdminToken);

        var read = (await http.GetFromJsonAsync<JsonObject>($"/api/channels/{channel.Id}"))!;

        Assert.Equal(channel.PhoneNumberId, read["settings"]!["phoneNumberId"]!.GetValue<string>());
        Assert.Null(read["settings"]!["accessToken"]);
        Assert.Null(read["settings"]!["appSecret"]);
        Assert.Null(read["settings"]!["verifyToken"]);
        var json = read.ToJsonString();
        Assert.DoesNotContain(channel.AccessToken, json);
        Assert.DoesNotContain(channel.AppSecret, json);
        Assert.DoesNotContain(channel.VerifyToken, json);
        // From the configured public base URL, not from the Host this request came to (127.0.0.1).
        Assert.Equal($"https://cc.example.test/webhooks/whatsapp/{channel.Id}", read["public"]!["webhookUrl"]!.GetValue<string>());
        Assert.Null(read["statusError"]?.GetValue<string>());
        var check = Assert.Single(fixture.Graph.LogEntries, e => e.RequestMessage.Path == $"{GraphStub.Version}/{channel.PhoneNumberId}");
        Assert.Equal("Bearer " + channel.AccessToken, check.RequestMessage.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task A_token_meta_rejects_is_shown_as_the_channels_status_error()
    {
        var phoneNumberId = WhatsAppFixture.NewId();
        fixture.Graph.Given(Request.Create().WithPath($"{GraphStub.Version}/{phoneNumberId}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody(GraphStub.ErrorJson(190, "Error validating access token: Session has expired on Tuesday, 01-Dec-26 10:00:00 PST.")));
        using var http = fixture.App.Http(fixture.AdminToken);

        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "whatsapp",
            name = "WhatsApp",
            settings = new { phoneNumberId, accessToken = "EAAGexpired", appSecret = "secret", verifyToken = "verify-me", apiBaseUrl = fixture.ApiBaseUrl },
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var channel = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var error = channel["statusError"]!.GetValue<string>();
        Assert.Contains("access token", error);
        Assert.Contains("190", error);
        Assert.DoesNotContain("EAAGexpired", error);
    }

    [Fact]
    public async Task Bad_settings_are_refused_field_by_field_and_nothing_is_stored()
    {
        using var http = fixture.App.Http(fixture.AdminToken);

        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "whatsapp",
            name = "WhatsApp",
            settings = new { phoneNumberId = "not-digits", accessToken = "", appSecret = "has space", businessAccountId = "x1", apiBaseUrl = "ftp://graph" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key).ToList();
        foreach (var field in new[] { "phoneNumberId", "accessToken", "appSecret", "verifyToken", "businessAccountId", "apiBaseUrl" })
        {
            Assert.Contains("settings." + field, errors);
        }
        Assert.Equal(0, await fixture.CountAsync("channels"));
    }
}
