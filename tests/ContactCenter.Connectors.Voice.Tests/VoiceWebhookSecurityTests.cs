using System.Net;
using System.Text;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.Connectors.Voice.Tests;

[Collection(VoiceCollection.Name)]
public sealed class VoiceWebhookSecurityTests(VoiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_bad_or_missing_signature_is_refused_with_403_and_nothing_is_stored()
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        var sid = VoiceFixture.NewSid("CA");
        var fields = VoiceFixture.Sample("incoming-call", fixture.Values(channel, sid));
        var localUrl = new Uri(fixture.App.BaseAddress, $"/webhooks/voice/{channel.Id}").ToString();
        var tampered = new Dictionary<string, string>(fields) { ["From"] = "+14155550999" };

        var responses = new[]
        {
            await fixture.PostAsync(channel, null, fields, signature: VoiceFixture.Sign("0123456789abcdef0123456789abcdef", channel.VoiceUrl, fields)),
            await fixture.PostAsync(channel, null, fields, signature: VoiceFixture.Sign(channel.AuthToken, localUrl, fields)),
            await fixture.PostAsync(channel, null, tampered, signature: VoiceFixture.Sign(channel.AuthToken, channel.VoiceUrl, fields)),
            await fixture.PostAsync(channel, null, fields, signature: ""),
            // Signed for another step (the query is part of what Twilio signs).
            await fixture.PostAsync(channel, "dial", fields, query: "next=5", signature: VoiceFixture.Sign(channel.AuthToken, channel.Url("dial", "next=1"), fields)),
            await fixture.PostAsync(channel, "status", fields, signature: VoiceFixture.Sign(channel.AuthToken, channel.VoiceUrl, fields)),
            await fixture.PostAsync(channel, "recording", fields, signature: "bm90IGEgc2lnbmF0dXJl"),
            // An unsigned call of the click-to-call step with a bad `to` learns nothing about what the route takes (it was a 400).
            await fixture.PostAsync(channel, "outbound", fields, query: "to=nonsense", signature: ""),
        };

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
        Assert.Equal(0, await fixture.CountAsync("outbox"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/status")]
    [InlineData("/recording")]
    [InlineData("/dial?next=1")]
    public async Task A_form_with_a_NUL_is_a_400_and_nothing_is_stored(string step)
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        using var http = fixture.App.Http();
        using var content = new StringContent($"CallSid=CA1&From=%2B14155550123&Body=a%00b&AccountSid={channel.AccountSid}", Encoding.UTF8, "application/x-www-form-urlencoded");

        var response = await http.PostAsync($"/webhooks/voice/{channel.Id}{step}", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_streamed_form_over_the_size_limit_is_a_413_as_on_the_sms_webhooks_and_nothing_is_stored()
    {
        var channel = await fixture.CreateVoiceChannelAsync();
        using var http = fixture.App.Http();
        using var response = await StreamedForm.PostRefusedAsync(http, $"/webhooks/voice/{channel.Id}",
            $"CallSid=CA1&From=%2B14155550123&AccountSid={channel.AccountSid}", 2 * 1024 * 1024);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_recording_url_off_Twilio_is_refused_and_nothing_is_fetched()
    {
        var channel = await fixture.CreateVoiceChannelAsync(recordCalls: true);
        var sid = VoiceFixture.NewSid("CA");
        await fixture.CallInAsync(channel, sid);
        var values = fixture.Values(channel, sid);
        values["RecordingSid"] = VoiceFixture.NewSid("RE");
        var fields = VoiceFixture.Sample("recording-completed", values);
        fields["RecordingUrl"] = "https://evil.example.test/rec";

        var response = await fixture.PostAsync(channel, "recording", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("outbox"));
    }
}
