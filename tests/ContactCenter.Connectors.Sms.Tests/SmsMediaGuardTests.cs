using System.Net;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Sms.Tests;

/// <summary>The SMS app with the outbound guard on and NO allow-list (not even loopback), as in production.</summary>
public sealed class GuardedSmsFixture : SmsFixture
{
    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        // Clears the loopback allow-list every test app gets (AppNode): an empty entry is ignored.
        settings["OutboundFetch:Allow:0"] = "";
        settings["OutboundFetch:Allow:1"] = "";
        settings["OutboundFetch:Allow:2"] = "";
        return settings;
    }
}

/// <summary>
/// A signed Twilio post may still name any URL as its media. Only Twilio's hosts (or the channel's configured API base)
/// are fetched, and even those only through the guard. Every target here is loopback; the assertion is that the
/// stand-in got no request at all.
/// </summary>
public sealed class SmsMediaGuardTests(GuardedSmsFixture fixture) : IClassFixture<GuardedSmsFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Media_from_a_host_that_is_not_Twilio_is_not_fetched_and_the_message_says_so()
    {
        // The channel's API base is a name, so the channel can be saved; the media URL names another host (the literal).
        var channel = await fixture.CreateSmsChannelAsync(apiBaseUrl: $"http://localhost:{fixture.Twilio.Port}");
        fixture.Twilio.Given(Request.Create().WithPath("/internal/secret").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "image/png").WithBody([1, 2, 3]));
        var sid = SmsFixture.NewSid("MM");
        var fields = SmsFixture.IncomingFields(channel, sid, "see attached");
        fields["NumMedia"] = "1";
        fields["MediaUrl0"] = $"http://127.0.0.1:{fixture.Twilio.Port}/internal/secret";
        fields["MediaContentType0"] = "image/png";

        var response = await fixture.PostIncomingAsync(channel, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from attachments"));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from outbox where kind like 'media:%'"));
        var text = await db.ExecuteScalarAsync<string>("select text from messages where external_id = @sid", new { sid });
        Assert.StartsWith("see attached", text, StringComparison.Ordinal);
        Assert.Contains("not fetched", text, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Twilio.LogEntries, e => e.RequestMessage.Path == "/internal/secret");
    }

    [Fact]
    public async Task Media_on_the_channels_api_base_that_resolves_to_loopback_is_refused_by_the_guard()
    {
        var channel = await fixture.CreateSmsChannelAsync(apiBaseUrl: $"http://localhost:{fixture.Twilio.Port}");
        var sid = SmsFixture.NewSid("MM");
        var mediaPath = $"/2010-04-01/Accounts/{channel.AccountSid}/Messages/{sid}/Media/ME0001";
        fixture.Twilio.Given(Request.Create().WithPath(mediaPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "image/jpeg").WithBody([0xFF, 0xD8, 0xFF]));
        var fields = SmsFixture.IncomingFields(channel, sid, "photo");
        fields["NumMedia"] = "1";
        fields["MediaUrl0"] = $"http://localhost:{fixture.Twilio.Port}{mediaPath}";
        fields["MediaContentType0"] = "image/jpeg";

        var response = await fixture.PostIncomingAsync(channel, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The media job ends as failed (the refusal is final, not retried) with nothing stored.
        await fixture.EventuallyAsync<string?>("select state from outbox where kind = 'media:sms'", s => s == "failed");
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from attachments where storage_path is not null"));
        Assert.Empty(fixture.Twilio.LogEntries);
        // The account check on save went through the same guard: refused, and the status says only the host.
        var status = await db.ExecuteScalarAsync<string>("select status_error from channels where id = @id", new { id = channel.Id });
        Assert.Equal("cannot connect to localhost", status);
    }
}
