using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>Visitors' files through the widget: limits, types, names, exactly-once, who may read them, how they are served.</summary>
public sealed class WidgetUploadTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>, IAsyncLifetime
{
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    public static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"u8.ToArray();

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_upload_is_an_inbound_message_with_the_file_stored_once_under_a_clean_name()
    {
        var channel = await fixture.CreateWebchatAsync();
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        var visitor = await fixture.StartSessionAsync(channel.Key);

        var first = await fixture.UploadAsync(visitor, "../../etc/price list.pdf", Pdf, "application/pdf", "up-1");
        var again = await fixture.UploadAsync(visitor, "../../etc/price list.pdf", Pdf, "application/pdf", "up-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var message = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(message["id"]!.GetValue<long>(), (await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>());
        var file = message["attachments"]!.AsArray().Single()!;
        Assert.Equal("price list.pdf", file["fileName"]!.GetValue<string>());
        Assert.Equal("application/pdf", file["contentType"]!.GetValue<string>());
        Assert.Equal(1, await fixture.CountAsync("messages"));
        Assert.Equal(1, await fixture.CountAsync("attachments"));

        // The manager sees it through the inbox and downloads it through the authorised route, never rendered.
        using var http = fixture.App.Http(manager.Token);
        var conversationId = message["conversationId"]!.GetValue<long>();
        var thread = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages"))!;
        var seen = thread["items"]!.AsArray().Single()!["attachments"]!.AsArray().Single()!;
        var download = await http.GetAsync(seen["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_file_over_the_limit_is_413_and_nothing_is_stored()
    {
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key);
        var big = new byte[(1024 * 1024) + 1];
        Pdf.CopyTo(big, 0);

        var response = await fixture.UploadAsync(visitor, "big.pdf", big, "application/pdf");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 1 MB", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(1048576, visitor.Body["maxUploadBytes"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("page.html", "text/html", "<html><script>alert(1)</script></html>")]
    [InlineData("logo.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")]
    [InlineData("setup.exe", "application/octet-stream", "MZ\u0090\u0000program")]
    [InlineData("photo.png", "image/png", "<html><script>alert(1)</script></html>")]
    [InlineData("notes.txt", "text/plain", "<!doctype html><html><script>alert(1)</script></html>")]
    [InlineData("no-extension", "image/png", "\u0089PNG")]
    public async Task An_active_or_disguised_file_is_415_and_nothing_is_stored(string name, string type, string content)
    {
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key);

        var response = await fixture.UploadAsync(visitor, name, System.Text.Encoding.Latin1.GetBytes(content), type);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("attachments"));
    }

    [Fact]
    public async Task A_visitor_downloads_their_own_files_and_never_another_visitors()
    {
        var channel = await fixture.CreateWebchatAsync();
        var ann = await fixture.StartSessionAsync(channel.Key);
        var bob = await fixture.StartSessionAsync(channel.Key);
        var sent = (await (await fixture.UploadAsync(ann, "photo.png", Png, "image/png")).Content.ReadFromJsonAsync<JsonObject>())!;
        var url = sent["attachments"]![0]!["url"]!.GetValue<string>();

        using var annHttp = fixture.Site(visitorToken: ann.Token);
        var own = await annHttp.GetAsync(url);
        using var bobHttp = fixture.Site(visitorToken: bob.Token);
        var other = await bobHttp.GetAsync(url);
        using var anonymous = fixture.Site();
        var nobody = await anonymous.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("image/png", own.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", own.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", own.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(Png, await own.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);
    }

    [Fact]
    public async Task A_managers_reply_with_a_file_reaches_the_visitor_who_can_download_it_but_not_a_private_notes_file()
    {
        var channel = await fixture.CreateWebchatAsync();
        var manager = await fixture.CreateManagerAsync("mia", channel.Id);
        var visitor = await fixture.StartSessionAsync(channel.Key);
        var first = (await (await fixture.SendAsync(visitor, "send me the price list")).Content.ReadFromJsonAsync<JsonObject>())!;
        var conversationId = first["conversationId"]!.GetValue<long>();
        await using var widget = await fixture.ConnectWidgetAsync(visitor.Token);
        var events = new HubRecorder(widget);
        using var http = fixture.App.Http(manager.Token);
        var file = await AppFixture.UploadIdAsync(http, conversationId, "price.pdf", Pdf, "application/pdf");
        var secret = await AppFixture.UploadIdAsync(http, conversationId, "margins.pdf", Pdf, "application/pdf");

        var reply = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "here it is", attachmentIds = new[] { file } });
        var note = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "internal", @private = true, attachmentIds = new[] { secret } });

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, note.StatusCode);
        var pushed = await events.WaitForAsync("messageCreated", m => m["direction"]!.GetValue<string>() == "outbound");
        var attachment = pushed["attachments"]!.AsArray().Single()!;
        Assert.Equal("price.pdf", attachment["fileName"]!.GetValue<string>());
        using var site = fixture.Site(visitorToken: visitor.Token);
        var download = await site.GetAsync(attachment["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await site.GetAsync($"/api/widget/attachments/{secret}")).StatusCode);
    }
}
