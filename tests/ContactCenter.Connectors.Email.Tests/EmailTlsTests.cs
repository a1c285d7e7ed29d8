using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Email.Tests.Infrastructure;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>
/// IMAP and SMTP over TLS against a real dovecot (STARTTLS and IMAPS) and a real SMTP server (STARTTLS and SMTPS), both on a
/// certificate made for this run. The channels trust it only by pinning its fingerprint; without the pin the channel says so.
/// </summary>
public sealed class EmailTlsTests(EmailFixture fixture) : IClassFixture<EmailFixture>, IAsyncLifetime
{
    private readonly TestCertificate certificate = TestCertificate.Create();
    private DovecotServer imap = null!;
    private SmtpReceiver smtp = null!;

    public async Task InitializeAsync()
    {
        await fixture.ResetEmailAsync();
        imap = await DovecotServer.StartAsync(certificate);
        smtp = new SmtpReceiver(certificate.Certificate);
    }

    public async Task DisposeAsync()
    {
        await fixture.ResetEmailAsync();
        await imap.DisposeAsync();
        await smtp.DisposeAsync();
        certificate.Dispose();
    }

    private async Task<(long Id, string Address)> CreateChannelAsync(string security, string? fingerprint)
    {
        var address = $"tls-{Guid.NewGuid().ToString("N")[..8]}@shop.test";
        var settings = new JsonObject
        {
            ["address"] = address,
            ["imapHost"] = "127.0.0.1",
            ["imapPort"] = security == "ssl" ? imap.ImapsPort : imap.Port,
            ["imapSecurity"] = security,
            ["smtpHost"] = "127.0.0.1",
            ["smtpPort"] = security == "ssl" ? smtp.TlsPort : smtp.Port,
            ["smtpSecurity"] = security,
            ["username"] = address,
            ["password"] = DovecotServer.Password,
        };
        if (fingerprint is not null)
        {
            settings[EmailTls.FingerprintSetting] = fingerprint;
        }
        var channel = await fixture.CreateChannelAsync("email", "Sales TLS", settings);
        return (channel["id"]!.GetValue<long>(), address);
    }

    private async Task<string?> StatusErrorAsync(long channelId)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var channel = await http.GetFromJsonAsync<JsonObject>($"/api/channels/{channelId}");
        return channel!["statusError"]?.GetValue<string>();
    }

    private async Task<long> ReplyAsync(long conversationId, string text)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        return body!["id"]!.GetValue<long>();
    }

    private async Task PatchSettingsAsync(long channelId, JsonObject settings)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PatchAsJsonAsync($"/api/channels/{channelId}", new { settings });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("starttls")]
    [InlineData("ssl")]
    public async Task A_pinned_mailbox_reads_and_replies_over_tls(string security)
    {
        var (channelId, address) = await CreateChannelAsync(security, certificate.Fingerprint);
        await EmailFixture.WaitForReadersAsync(fixture.App, 1);
        Assert.Null(await StatusErrorAsync(channelId)); // the set-up check logged in over TLS too

        var question = Mail.Text(address, "Invoice over TLS", "Пришлите, пожалуйста, счёт.", messageId: $"tls-{security}@customer.test");
        await imap.AppendAsync(address, Mail.Bytes(question));
        await fixture.WaitForMessagesAsync(channelId, 1);
        var stored = (await fixture.MessagesAsync(channelId)).Single();
        Assert.Equal("Пришлите, пожалуйста, счёт.", stored.Text);
        // dovecot marks every login that came over TLS (after STARTTLS or on the IMAPS port): the set-up check's and the
        // reader's. (The test's own APPEND logs in over plain IMAP.)
        var logins = imap.Log().Split('\n').Where(l => l.Contains($"Login: user=<{address}>", StringComparison.Ordinal)).ToList();
        Assert.True(logins.Count(l => l.Contains(", TLS", StringComparison.Ordinal)) >= 2, string.Join('\n', logins));

        var replyId = await ReplyAsync(stored.ConversationId, "Счёт во вложении.");
        var (sent, _) = await smtp.WaitForRawAsync(m => m.TextBody?.Contains("Счёт во вложении", StringComparison.Ordinal) == true);
        Assert.True(smtp.Encrypted.ContainsKey(sent.MessageId!), "the reply came over a plain SMTP session");
        await fixture.WaitUntilAsync(async () => (await fixture.MessagesAsync(channelId)).Single(m => m.Id == replyId).Status == "sent", "the reply to be sent");
    }

    [Fact]
    public async Task An_untrusted_certificate_is_a_readable_channel_error_and_nothing_is_lost()
    {
        var (channelId, address) = await CreateChannelAsync("ssl", fingerprint: null);
        await imap.AppendAsync(address, Mail.Bytes(Mail.Text(address, "Waiting", "Are you there?", messageId: "untrusted-1@customer.test")));
        string? error = null;
        await fixture.WaitUntilAsync(async () => (error = await StatusErrorAsync(channelId))?.Contains("not trusted", StringComparison.Ordinal) == true,
            "the channel to report the untrusted certificate");
        Assert.Contains("127.0.0.1:", error, StringComparison.Ordinal);
        Assert.Contains($"{EmailTls.FingerprintSetting} = {certificate.Fingerprint}", error, StringComparison.Ordinal);
        Assert.Equal(0, await fixture.MessageCountAsync(channelId));

        // The admin pins the certificate: the mail that waited on the server is read.
        await PatchSettingsAsync(channelId, new JsonObject { [EmailTls.FingerprintSetting] = certificate.Fingerprint });
        await fixture.WaitForMessagesAsync(channelId, 1);
        var question = (await fixture.MessagesAsync(channelId)).Single();

        // A pin of another certificate (the server's certificate changed): the reply waits with the reason, nothing is sent.
        using var other = TestCertificate.Create("other.cc-test.local");
        await PatchSettingsAsync(channelId, new JsonObject { [EmailTls.FingerprintSetting] = other.Fingerprint });
        await EmailFixture.WaitForReadersAsync(fixture.App, 1);
        var replyId = await ReplyAsync(question.ConversationId, "Yes, we are here.");
        EmailFixture.StoredMessage reply = null!;
        await fixture.WaitUntilAsync(async () => (reply = (await fixture.MessagesAsync(channelId)).Single(m => m.Id == replyId)).Status == "failed",
            "the reply to fail after its retries", TimeSpan.FromSeconds(40));
        Assert.Contains("SMTP: the TLS certificate of 127.0.0.1:", reply.Error, StringComparison.Ordinal);
        Assert.Contains("not trusted", reply.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(smtp.Received, r => r.Message.TextBody?.Contains("we are here", StringComparison.Ordinal) == true);

        // Pinned right again, the retry button sends it.
        await PatchSettingsAsync(channelId, new JsonObject { [EmailTls.FingerprintSetting] = certificate.Fingerprint });
        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            var retry = await http.PostAsync($"/api/messages/{replyId}/retry", null);
            Assert.True(retry.IsSuccessStatusCode, await retry.Content.ReadAsStringAsync());
        }
        var sent = await smtp.WaitForAsync(m => m.TextBody?.Contains("we are here", StringComparison.Ordinal) == true);
        Assert.True(smtp.Encrypted.ContainsKey(sent.MessageId!));
    }

    [Fact]
    public async Task A_malformed_pin_is_refused_with_a_validation_problem()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync("/api/channels", new
        {
            kind = "email",
            name = "Bad pin",
            settings = new
            {
                address = "pin@shop.test",
                imapHost = "127.0.0.1",
                smtpHost = "127.0.0.1",
                username = "pin@shop.test",
                password = "x",
                tlsCertificateFingerprint = "not-a-fingerprint",
            },
        });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.NotNull(problem!["errors"]!["settings.tlsCertificateFingerprint"]);
    }
}
