using System.Text;
using System.Text.Json.Nodes;

namespace ContactCenter.Connectors.WhatsApp.Tests;

/// <summary>The connector's pure rules, without the app: signatures, keywords, statuses, templates, media hosts.</summary>
public sealed class WhatsAppRulesTests
{
    private const string Body = """{"object":"whatsapp_business_account","entry":[]}""";

    [Fact]
    public void The_signature_is_the_hex_hmac_sha256_of_the_raw_body_with_the_app_secret()
    {
        // Computed outside .NET (Python's hmac) for this secret and body.
        const string expected = "sha256=e1a1bc4d802d9d9ae6ce7462eb1b8b86b681fef7dee55cc64411ddb0056c0aff";
        var bytes = Encoding.UTF8.GetBytes(Body);

        Assert.True(WhatsAppSignature.IsValid("app-secret-1234", bytes, expected));
        Assert.True(WhatsAppSignature.IsValid("app-secret-1234", bytes, expected.ToUpperInvariant().Replace("SHA256=", "sha256=")));
        Assert.False(WhatsAppSignature.IsValid("app-secret-1235", bytes, expected));
        Assert.False(WhatsAppSignature.IsValid("app-secret-1234", Encoding.UTF8.GetBytes(Body + " "), expected));
        Assert.False(WhatsAppSignature.IsValid("app-secret-1234", bytes, expected[7..]));
        Assert.False(WhatsAppSignature.IsValid("", bytes, WhatsAppSignature.Compute("", bytes)));
    }

    [Theory]
    [InlineData("STOP", WhatsAppKeywords.Kind.OptOut)]
    [InlineData(" Стоп! ", WhatsAppKeywords.Kind.OptOut)]
    [InlineData("отписаться", WhatsAppKeywords.Kind.OptOut)]
    [InlineData("start", WhatsAppKeywords.Kind.OptIn)]
    [InlineData("СТАРТ", WhatsAppKeywords.Kind.OptIn)]
    [InlineData("stop sending me ads", WhatsAppKeywords.Kind.None)]
    [InlineData("Hello", WhatsAppKeywords.Kind.None)]
    public void Only_a_message_that_is_just_the_keyword_counts(string text, WhatsAppKeywords.Kind kind) =>
        Assert.Equal(kind, WhatsAppKeywords.Detect(text).Kind);

    [Fact]
    public void Statuses_map_to_the_inboxs_states_and_failures_carry_a_readable_reason()
    {
        var errors = JsonNode.Parse("""[{"code":131047,"title":"Re-engagement message"}]""")!.AsArray();

        Assert.Equal(("sent", (string?)null), WhatsAppInboundMapper.MapStatus("sent", null));
        Assert.Equal(("read", (string?)null), WhatsAppInboundMapper.MapStatus("read", null));
        Assert.Null(WhatsAppInboundMapper.MapStatus("deleted", null));
        var failed = WhatsAppInboundMapper.MapStatus("failed", errors)!.Value;
        Assert.Equal("failed", failed.Status);
        Assert.Contains("re-engagement message", failed.Error);
        Assert.Contains("131047", failed.Error);
    }

    [Fact]
    public void Timestamps_are_unix_seconds_in_utc_and_nonsense_is_null()
    {
        Assert.Equal(new DateTimeOffset(2025, 6, 8, 20, 59, 43, TimeSpan.Zero), WhatsAppInboundMapper.Timestamp("1749416383"));
        Assert.Equal(TimeSpan.Zero, WhatsAppInboundMapper.Timestamp("1749416383")!.Value.Offset);
        Assert.Null(WhatsAppInboundMapper.Timestamp("-5"));
        Assert.Null(WhatsAppInboundMapper.Timestamp("soon"));
        Assert.Null(WhatsAppInboundMapper.Timestamp("99999999999999999999"));
    }

    [Fact]
    public void A_template_renders_its_parameters_and_only_approved_ones_are_offered()
    {
        var page = JsonNode.Parse("""
            {"data":[{"name":"order_update","language":"ru","status":"APPROVED","category":"UTILITY",
                      "components":[{"type":"BODY","text":"Здравствуйте, {{1}}! Заказ {{2}} готов."}]},
                     {"name":"draft","language":"ru","status":"REJECTED","components":[{"type":"BODY","text":"x"}]}]}
            """);

        var template = Assert.Single(WhatsAppTemplate.ParseApproved(page));

        Assert.Equal(2, template.ParameterCount);
        Assert.Equal("Здравствуйте, Анна! Заказ №7 готов.", template.Render(["Анна", "№7"]));
    }

    [Theory]
    [InlineData("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1", true)]
    [InlineData("https://graph.facebook.com/v21.0/1", true)]
    [InlineData("http://lookaside.fbsbx.com/x", false)]
    [InlineData("https://fbsbx.com.evil.test/x", false)]
    [InlineData("https://user:pass@lookaside.fbsbx.com/x", false)]
    [InlineData("https://10.0.0.5/x", false)]
    public void The_token_is_only_sent_to_metas_media_hosts(string url, bool allowed)
    {
        var settings = new WhatsAppSettings("1", "token", "secret", "verify", null, WhatsAppSettings.DefaultApiBaseUrl);

        Assert.Equal(allowed, WhatsAppGraph.IsMediaHost(new Uri(url), settings));
    }
}
