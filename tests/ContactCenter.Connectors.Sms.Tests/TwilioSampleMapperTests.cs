namespace ContactCenter.Connectors.Sms.Tests;

/// <summary>The pure mappers against every recorded Twilio sample, without an app.</summary>
public sealed class TwilioSampleMapperTests
{
    [Theory]
    [MemberData(nameof(TwilioSamples.InboundNames), MemberType = typeof(TwilioSamples))]
    public void Every_inbound_sample_maps_to_its_text_sender_and_media(string sample)
    {
        var expected = TwilioSamples.Inbounds.Single(i => i.Sample == sample);
        var form = TwilioSamples.Form(sample);

        var (result, errors) = TwilioInboundMapper.Map(7, form);

        Assert.Empty(errors);
        var message = result!.Message;
        Assert.Equal(form["MessageSid"], message.ExternalId);
        Assert.Equal(expected.Text, message.Text);
        Assert.Equal(expected.Phone, message.Sender.Phone);
        Assert.Equal(expected.Attachments, message.Attachments.Select(a => new TwilioSamples.Attachment(a.FileName, a.ContentType!)).ToArray());
        Assert.All(message.Attachments, a => Assert.StartsWith("https://api.twilio.com/2010-04-01/Accounts/" + TwilioSamples.AccountSid, a.ExternalRef, StringComparison.Ordinal));
        Assert.Equal(form["NumSegments"], message.Metadata!["numSegments"]);
        Assert.Equal(expected.Keyword, result.Keyword);
        Assert.Null(message.Metadata.GetValueOrDefault("mediaRefused"));
    }

    [Theory]
    [MemberData(nameof(TwilioSamples.StatusNames), MemberType = typeof(TwilioSamples))]
    public void Every_status_callback_sample_maps_to_an_inbox_state(string sample)
    {
        var expected = TwilioSamples.Statuses.Single(s => s.Sample == sample);
        var form = TwilioSamples.Form(sample);

        var update = TwilioStatus.Map(form["MessageStatus"], form.GetValueOrDefault("ErrorCode"));

        Assert.Equal(new TwilioStatus.Update(expected.Expected, expected.Error), update);
    }

    [Fact]
    public void The_samples_are_urlencoded_as_Twilio_posts_them()
    {
        var raw = TwilioSamples.Raw("inbound-sms-cyrillic");
        Assert.Contains("Body=%D0%97%D0%B4", raw, StringComparison.Ordinal); // UTF-8, percent-encoded
        Assert.Contains("From=%2B79161234567", raw, StringComparison.Ordinal);
        Assert.Equal("2", TwilioSamples.Form("inbound-sms-cyrillic")["NumSegments"]);
    }
}
