namespace ContactCenter.Connectors.Sms.Tests;

public sealed class TwilioSignatureTests
{
    // Twilio's published example ("Validating requests are coming from Twilio").
    private const string VectorToken = "12345";
    private const string VectorUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string VectorSignature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private static Dictionary<string, string> VectorFields() => new()
    {
        ["CallSid"] = "CA1234567890ABCDE",
        ["Caller"] = "+14158675309",
        ["Digits"] = "1234",
        ["From"] = "+14158675309",
        ["To"] = "+18005551212",
    };

    [Fact]
    public void The_published_test_vector_validates()
    {
        Assert.True(TwilioSignature.IsValid(VectorToken, VectorUrl, VectorFields(), VectorSignature));
        Assert.Equal(VectorSignature, SmsFixture.Sign(VectorToken, VectorUrl, VectorFields()));
    }

    [Fact]
    public void The_published_vector_fails_when_a_field_the_url_the_token_or_the_signature_changes()
    {
        var changedField = VectorFields();
        changedField["Digits"] = "1235";
        var addedField = VectorFields();
        addedField["Body"] = "";

        Assert.False(TwilioSignature.IsValid(VectorToken, VectorUrl, changedField, VectorSignature));
        Assert.False(TwilioSignature.IsValid(VectorToken, VectorUrl, addedField, VectorSignature));
        Assert.False(TwilioSignature.IsValid(VectorToken, "https://mycompany.com/myapp.php?foo=1&bar=3", VectorFields(), VectorSignature));
        Assert.False(TwilioSignature.IsValid(VectorToken, "https://mycompany.com/myapp.php", VectorFields(), VectorSignature));
        Assert.False(TwilioSignature.IsValid("54321", VectorUrl, VectorFields(), VectorSignature));
        Assert.False(TwilioSignature.IsValid(VectorToken, VectorUrl, VectorFields(), "RSOYDt4T1cUTdK1PDd93/VVr8B9="));
        Assert.False(TwilioSignature.IsValid(VectorToken, VectorUrl, VectorFields(), null));
        Assert.False(TwilioSignature.IsValid("", VectorUrl, VectorFields(), VectorSignature));
    }

    [Fact]
    public void A_signature_computed_here_for_our_own_webhook_url_validates_with_unicode_and_media_fields()
    {
        const string token = "0123456789abcdef0123456789abcdef";
        const string url = "https://cc.example.test/webhooks/twilio/42?tenant=acme&x=%2Fy";
        var fields = new Dictionary<string, string>
        {
            ["MessageSid"] = "MM0123456789abcdef0123456789abcdef",
            ["From"] = "+79161234567",
            ["Body"] = "Привет 👋 & <b>ok</b>",
            ["NumMedia"] = "2",
            ["MediaUrl0"] = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
            ["MediaUrl1"] = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2",
            ["Empty"] = "",
        };
        var signature = SmsFixture.Sign(token, url, fields);

        Assert.True(TwilioSignature.IsValid(token, url, fields, signature));
        // Twilio sometimes signs with the explicit default port: both forms are accepted.
        Assert.True(TwilioSignature.IsValid(token, url, fields, SmsFixture.Sign(token, "https://cc.example.test:443/webhooks/twilio/42?tenant=acme&x=%2Fy", fields)));
        Assert.False(TwilioSignature.IsValid(token, "https://cc.example.test/webhooks/twilio/43?tenant=acme&x=%2Fy", fields, signature));
        fields["Body"] = "Привет 👋 & <b>ok</b>!";
        Assert.False(TwilioSignature.IsValid(token, url, fields, signature));
    }
}
