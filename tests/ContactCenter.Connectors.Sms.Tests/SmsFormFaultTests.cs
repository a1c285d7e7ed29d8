using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.Sms.Tests;

/// <summary>Issue 18: posts whose form Twilio's parser or PostgreSQL cannot take are a 4xx (or stored without NULs), never a 500.</summary>
[Collection(SmsCollection.Name)]
public sealed class SmsFormFaultTests(SmsFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_signed_incoming_text_with_NUL_characters_is_stored_without_them()
    {
        var channel = await fixture.CreateSmsChannelAsync();
        var sid = SmsFixture.NewSid("SM");
        var fields = SmsFixture.IncomingFields(channel, sid + "\0", "Hello\0 there", from: "+1 415\0555 0123");
        fields["NumSegments"] = "1\0";
        fields["\0Extra"] = "\0";

        var response = await fixture.PostIncomingAsync(channel, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = fixture.Db();
        var stored = await db.QuerySingleAsync<(string Text, string ExternalId, string Metadata, string Raw)>(
            "select text, external_id, metadata::text as metadata, raw::text as raw from messages");
        Assert.Equal("Hello there", stored.Text);
        Assert.Equal(sid, stored.ExternalId);
        Assert.DoesNotContain("\\u0000", stored.Metadata + stored.Raw, StringComparison.Ordinal);
        Assert.Equal("+14155550123", await db.ExecuteScalarAsync<string>("select address from contact_identities"));
    }

    [Fact]
    public async Task A_signed_status_callback_with_NUL_characters_is_not_a_500()
    {
        var channel = await fixture.CreateSmsChannelAsync();

        var nulSid = await fixture.PostStatusAsync(channel, SmsFixture.NewSid("SM") + "\0", "delivered");
        var nulStatus = await fixture.PostStatusAsync(channel, SmsFixture.NewSid("SM"), "undelivered\0", errorCode: "30003\0");

        Assert.Equal(HttpStatusCode.OK, nulSid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nulStatus.StatusCode);
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
}
