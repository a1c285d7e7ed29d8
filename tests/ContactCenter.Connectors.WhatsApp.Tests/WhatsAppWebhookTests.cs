using System.Net;
using Dapper;

namespace ContactCenter.Connectors.WhatsApp.Tests;

[Collection(WhatsAppCollection.Name)]
public sealed class WhatsAppWebhookTests(WhatsAppFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> HandshakeAsync(long channelId, string mode, string token, string challenge)
    {
        using var http = fixture.App.Http();
        return await http.GetAsync($"/webhooks/whatsapp/{channelId}?hub.mode={mode}&hub.verify_token={Uri.EscapeDataString(token)}&hub.challenge={challenge}");
    }

    [Fact]
    public async Task The_verification_handshake_answers_the_challenge_as_plain_text()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();

        var response = await HandshakeAsync(channel.Id, "subscribe", channel.VerifyToken, "1158201444");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("1158201444", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_verify_token_is_refused_with_403_and_no_challenge()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();

        var wrong = await HandshakeAsync(channel.Id, "subscribe", channel.VerifyToken + "x", "1158201444");
        var empty = await HandshakeAsync(channel.Id, "subscribe", "", "1158201444");
        var badMode = await HandshakeAsync(channel.Id, "unsubscribe", channel.VerifyToken, "1158201444");

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.DoesNotContain("1158201444", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badMode.StatusCode);
    }

    [Fact]
    public async Task An_incoming_text_is_stored_with_the_customers_name_number_and_utc_time()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        var wamid = WhatsAppFixture.NewWamid();
        var sentAt = DateTimeOffset.UtcNow.AddMinutes(-3);
        var body = WhatsAppFixture.Sample("text", channel, new Dictionary<string, string>
        {
            ["WAMID"] = wamid, ["TEXT"] = "Does it come in another color?", ["TIMESTAMP"] = sentAt.ToUnixTimeSeconds().ToString(),
        });

        var response = await fixture.PostWebhookAsync(channel, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = fixture.Db();
        var message = await db.QuerySingleAsync<(string Text, string ExternalId, string Direction, DateTime SentAt)>(
            "select text, external_id, direction, sent_at from messages");
        Assert.Equal(("Does it come in another color?", wamid, "inbound"), (message.Text, message.ExternalId, message.Direction));
        Assert.Equal(sentAt.ToUnixTimeSeconds(), new DateTimeOffset(message.SentAt, TimeSpan.Zero).ToUnixTimeSeconds());
        var contact = await db.QuerySingleAsync<(string Kind, string Address, string Name, string Phone)>(
            "select i.channel_kind, i.address, c.name, c.phone from contact_identities i join contacts c on c.id = i.contact_id");
        Assert.Equal(("whatsapp", WhatsAppFixture.CustomerWaId, "Sheena Nelson", "+" + WhatsAppFixture.CustomerWaId), contact);
        Assert.Equal(1, await fixture.CountAsync("leads"));
    }

    [Fact]
    public async Task A_redelivered_message_is_stored_once()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        var body = WhatsAppFixture.Sample("text", channel, new Dictionary<string, string> { ["TEXT"] = "Same message twice" });

        var first = await fixture.PostWebhookAsync(channel, body);
        var second = await fixture.PostWebhookAsync(channel, body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, await fixture.CountAsync("messages"));
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select inbound_count from conversations"));
    }

    [Fact]
    public async Task A_bad_or_missing_signature_is_refused_with_401_and_nothing_is_stored()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        var body = WhatsAppFixture.Sample("text", channel, new Dictionary<string, string> { ["TEXT"] = "Forged" });
        var signedOther = WhatsAppFixture.Sign("0123456789abcdef0123456789abcdef", System.Text.Encoding.UTF8.GetBytes(body));
        var signedOriginal = WhatsAppFixture.Sign(channel.AppSecret, System.Text.Encoding.UTF8.GetBytes(body));

        var wrongSecret = await fixture.PostWebhookAsync(channel, body, signedOther);
        var changedAfterSigning = await fixture.PostWebhookAsync(channel, body.Replace("Forged", "Forged!"), signedOriginal);
        var sha1Style = await fixture.PostWebhookAsync(channel, body, "sha1=" + signedOriginal[7..]);
        var missing = await fixture.PostWebhookAsync(channel, body, signature: "");

        foreach (var response in new[] { wrongSecret, changedAfterSigning, sha1Style, missing })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Theory]
    [InlineData("location", "Location: Meta Headquarters, 1 Hacker Way, Menlo Park, CA 94025 (37.483307, -122.148981) https://maps.google.com/?q=37.483307,-122.148981")]
    [InlineData("interactive_button_reply", "Yes, Saturday works")]
    [InlineData("interactive_list_reply", "Morning — 9:00 - 12:00")]
    [InlineData("contacts", "Shared contact: Barbara J. Johnson, +1 (650) 555-1234, bjohnson@example.com")]
    public async Task Locations_contacts_and_interactive_replies_become_readable_text(string sample, string text)
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();

        var response = await fixture.PostWebhookAsync(channel, WhatsAppFixture.Sample(sample, channel));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = fixture.Db();
        Assert.Equal(text, await db.ExecuteScalarAsync<string>("select text from messages"));
    }

    [Fact]
    public async Task An_image_is_fetched_through_the_graph_media_url_with_the_token_and_attached()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        var mediaId = WhatsAppFixture.NewId();
        var jpeg = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 0xFF, 0xD9 };
        fixture.Graph.Media(channel, mediaId, jpeg, "image/jpeg");

        var response = await fixture.PostWebhookAsync(channel, WhatsAppFixture.Sample("image", channel, new Dictionary<string, string> { ["MEDIA_ID"] = mediaId }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attachment = await fixture.EventuallyAsync<(long Id, string? StoragePath, string ContentType)>(
            "select id, storage_path, content_type from attachments", a => a.StoragePath is not null);
        Assert.Equal("image/jpeg", attachment.ContentType);
        Assert.Equal(jpeg, await File.ReadAllBytesAsync(await fixture.StoredFileAsync(attachment.Id)));
        await using var db = fixture.Db();
        Assert.Equal("Is this the sofa you have in blue?", await db.ExecuteScalarAsync<string>("select text from messages"));
    }

    [Fact]
    public async Task A_document_keeps_its_file_name_and_reads_as_a_document()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        var mediaId = WhatsAppFixture.NewId();
        fixture.Graph.Media(channel, mediaId, "%PDF-1.4 test"u8.ToArray(), "application/pdf");

        await fixture.PostWebhookAsync(channel, WhatsAppFixture.Sample("document", channel, new Dictionary<string, string> { ["MEDIA_ID"] = mediaId }));

        var attachment = await fixture.EventuallyAsync<(string FileName, string? StoragePath)>(
            "select file_name, storage_path from attachments", a => a.StoragePath is not null);
        Assert.Equal("invoice-2041.pdf", attachment.FileName);
        await using var db = fixture.Db();
        Assert.Equal("[Document: invoice-2041.pdf]", await db.ExecuteScalarAsync<string>("select text from messages"));
    }

    [Fact]
    public async Task A_body_that_is_not_a_whatsapp_webhook_is_refused_with_400_and_nothing_is_stored()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();

        var notJson = await fixture.PostWebhookAsync(channel, "{\"object\":");
        var otherObject = await fixture.PostWebhookAsync(channel, "{\"object\":\"page\",\"entry\":[]}");
        var noId = await fixture.PostWebhookAsync(channel, WhatsAppFixture.Sample("text", channel).Replace("\"id\": \"wamid.", "\"x\": \"wamid."));

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherObject.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noId.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_signed_message_is_stored_as_a_replacement_character_not_a_500()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        // Meta redelivers a batch that failed: a 500 on one such text held back every message of its webhook.
        var body = WhatsAppFixture.Sample("text", channel, new Dictionary<string, string> { ["TEXT"] = "half \\ud83d of an emoji" });
        Assert.Contains("half \\ud83d of", body, StringComparison.Ordinal);

        var response = await fixture.PostWebhookAsync(channel, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = fixture.Db();
        Assert.Equal("half \uFFFD of an emoji", await db.ExecuteScalarAsync<string>("select text from messages"));
    }
}
