using System.Net;
using System.Text;
using Dapper;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ContactCenter.Connectors.Sms.Tests;

/// <summary>Every recorded Twilio sample through the real, signed webhook: stored once, text and media as expected, never a 5xx.</summary>
[Collection(SmsCollection.Name)]
public sealed class TwilioSampleWebhookTests(SmsFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The sample as this channel's Twilio account would post it (its SID in every field, media URLs included).</summary>
    private static Dictionary<string, string> ForChannel(string sample, SmsFixture.SmsChannel channel, string? messageSid = null) =>
        TwilioSamples.Fields(sample).ToDictionary(f => f.Key, f =>
        {
            var value = f.Value.Replace(TwilioSamples.AccountSid, channel.AccountSid, StringComparison.Ordinal);
            return messageSid is null ? value : value.Replace(TwilioSamples.StatusMessageSid, messageSid, StringComparison.Ordinal);
        });

    [Theory]
    [MemberData(nameof(TwilioSamples.InboundNames), MemberType = typeof(TwilioSamples))]
    public async Task Every_inbound_sample_is_stored_once_with_its_text_and_media(string sample)
    {
        var expected = TwilioSamples.Inbounds.Single(i => i.Sample == sample);
        var channel = await fixture.CreateSmsChannelAsync();
        var form = ForChannel(sample, channel);
        // Twilio's media URLs: the app rewrites api.twilio.com to the channel's apiBaseUrl, the stand-in answers.
        for (var i = 0; form.TryGetValue($"MediaUrl{i}", out var url); i++)
        {
            fixture.Twilio.Given(Request.Create().WithPath(new Uri(url).AbsolutePath).UsingGet())
                .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", form[$"MediaContentType{i}"]).WithBody(Encoding.UTF8.GetBytes($"media {i} of {sample}")));
        }

        var first = await fixture.PostIncomingAsync(channel, form);
        var again = await fixture.PostIncomingAsync(channel, form); // Twilio retries a post it saw no answer to

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await using var db = fixture.Db();
        var stored = Assert.Single(await db.QueryAsync<(long Id, string? Text, string ExternalId)>(
            "select id, text, external_id from messages where channel_id = @Id", new { channel.Id }));
        Assert.Equal(expected.Text, stored.Text);
        Assert.Equal(form["MessageSid"], stored.ExternalId);
        Assert.Equal(expected.Phone, await db.ExecuteScalarAsync<string>("select phone from contacts"));
        await fixture.EventuallyAsync<long>("select count(*) from attachments where storage_path is not null", n => n == expected.Attachments.Length);
        var attachments = (await db.QueryAsync<(string FileName, string ContentType)>(
            "select file_name, content_type from attachments where message_id = @Id order by id", new { stored.Id })).ToList();
        Assert.Equal(expected.Attachments, attachments.Select(a => new TwilioSamples.Attachment(a.FileName, a.ContentType)).ToArray());
    }

    [Theory]
    [MemberData(nameof(TwilioSamples.StatusNames), MemberType = typeof(TwilioSamples))]
    public async Task Every_status_callback_sample_moves_the_reply_to_its_state(string sample)
    {
        var expected = TwilioSamples.Statuses.Single(s => s.Sample == sample);
        var channel = await fixture.CreateSmsChannelAsync();
        await fixture.TextAsync(channel, "Есть доставка в воскресенье?", from: "+79161234567");
        var sid = SmsFixture.NewSid("SM");
        fixture.Twilio.Created(channel, sid);
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.ReplyAsync(await fixture.ConversationIdAsync(), "Да, с 10 до 16.")).StatusCode);
        await fixture.EventuallyAsync<string>("select status from messages where direction = 'outbound'", s => s == "sent");

        var response = await fixture.PostSignedAsync($"/webhooks/twilio/{channel.Id}/status", channel.StatusUrl, channel.AuthToken, ForChannel(sample, channel, sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await fixture.EventuallyAsync<(string Status, string? Error)>(
            "select status, error from messages where direction = 'outbound'", r => r.Status == expected.Expected);
        Assert.Equal(expected.Error, row.Error);
    }
}
