using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.Connectors.Sms.Tests;

/// <summary>Issue 18: a post whose form cannot be read (a NUL, too many fields) is a 400 problem that stores nothing, never a 500.</summary>
[Collection(SmsCollection.Name)]
public sealed class SmsFormFaultTests(SmsFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_signed_post_with_a_NUL_in_its_form_is_a_400_problem_on_both_webhooks_and_stores_nothing()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        // ASP.NET Core's form reader refuses %00; that used to escape as a 500 (and Twilio retries a 5xx).
        var incoming = await fixture.PostIncomingAsync(channel, SmsFixture.IncomingFields(channel, SmsFixture.NewSid("SM"), "Hello\0 there"));
        var status = await fixture.PostStatusAsync(channel, SmsFixture.NewSid("SM") + "\0", "delivered");

        foreach (var response in new[] { incoming, status })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.StartsWith("The form could not be read", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task A_form_the_parser_refuses_is_a_400_problem_on_both_webhooks_and_stores_nothing()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        // More fields than ASP.NET Core's form reader accepts (1024): its InvalidDataException must not become a 500.
        var fields = SmsFixture.IncomingFields(channel, SmsFixture.NewSid("SM"), "Too many fields");
        for (var i = 0; i < 1100; i++)
        {
            fields[$"X{i}"] = "x";
        }

        var message = await fixture.PostIncomingAsync(channel, fields);
        var status = await fixture.PostSignedAsync($"/webhooks/twilio/{channel.Id}/status", channel.StatusUrl, channel.AuthToken, fields);

        foreach (var response in new[] { message, status })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Contains("form", problem!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task A_streamed_form_over_the_size_limit_is_a_413_problem_on_both_webhooks_and_stores_nothing()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        using var http = fixture.App.Http();
        foreach (var path in new[] { $"/webhooks/twilio/{channel.Id}", $"/webhooks/twilio/{channel.Id}/status" })
        {
            // Chunked, so the 1 MB limit refuses it while the form is read (a declared length is refused before).
            using var response = await StreamedForm.PostRefusedAsync(http, path, $"MessageSid=SM1&From=%2B14155550123&AccountSid={channel.AccountSid}", 2 * 1024 * 1024);

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }
}
