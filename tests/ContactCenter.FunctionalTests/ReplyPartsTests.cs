using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.FunctionalTests;

/// <summary>Replies with files a manager uploaded first, and replies that answer one customer message.</summary>
public sealed class ReplyPartsTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly WireMockServer callback = WireMockServer.Start();

    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        callback.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
    }

    public Task DisposeAsync()
    {
        callback.Stop();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_reply_carries_uploaded_files_and_the_message_it_answers_to_the_channel()
    {
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var manager = await fixture.CreateUserAsync("filer", "manager", channel.Id);
        var first = await fixture.IngestAsync(channel, "in-1", "customer-1", "Пришлите счёт, пожалуйста");
        var conversationId = first["conversationId"]!.GetValue<long>();
        var questionId = first["messageId"]!.GetValue<long>();
        using var http = fixture.App.Http(manager.Token);
        var pdf = "%PDF-1.4 счёт №42"u8.ToArray();

        var upload = await AppFixture.UploadAsync(http, conversationId, "../../Счёт №42.pdf", pdf, "application/pdf");

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var uploaded = (await upload.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Счёт №42.pdf", uploaded["fileName"]!.GetValue<string>());
        Assert.Equal(pdf.Length, uploaded["size"]!.GetValue<long>());
        var attachmentId = uploaded["id"]!.GetValue<long>();
        Assert.Equal(pdf, await http.GetByteArrayAsync($"/api/attachments/{attachmentId}"));

        var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages",
            new { text = "Счёт во вложении", attachmentIds = new[] { attachmentId }, replyToMessageId = questionId });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(questionId, message["replyToId"]!.GetValue<long>());
        Assert.Equal("Счёт №42.pdf", message["attachments"]!.AsArray().Single()!["fileName"]!.GetValue<string>());
        var body = await DeliveredBodyAsync();
        Assert.Equal("in-1", body["message"]!["replyToExternalId"]!.GetValue<string>());
        var file = body["message"]!["attachments"]!.AsArray().Single()!;
        Assert.Equal("Счёт №42.pdf", file["fileName"]!.GetValue<string>());
        Assert.Equal("application/pdf", file["contentType"]!.GetValue<string>());
        Assert.Equal(pdf, Convert.FromBase64String(file["contentBase64"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_reply_of_files_alone_is_accepted_and_a_private_note_may_carry_files_too()
    {
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var conversationId = (await fixture.IngestAsync(channel, "in-1", "customer-1", "photo?"))["conversationId"]!.GetValue<long>();
        using var http = fixture.App.Http(fixture.AdminToken);
        var photo = await AppFixture.UploadIdAsync(http, conversationId, "photo.png", [0x89, 0x50, 0x4E, 0x47], "image/png");
        var scan = await AppFixture.UploadIdAsync(http, conversationId, "scan.png", [1, 2, 3], "image/png");

        var reply = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "", attachmentIds = new[] { photo } });
        var note = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "internal copy", @private = true, attachmentIds = new[] { scan } });

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, note.StatusCode);
        var body = await DeliveredBodyAsync();
        Assert.Equal("", body["message"]!["text"]!.GetValue<string>());
        Assert.Equal("photo.png", body["message"]!["attachments"]![0]!["fileName"]!.GetValue<string>());
        var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages");
        var stored = page!["items"]!.AsArray().Select(m => (m!["direction"]!.GetValue<string>(), m["attachments"]!.AsArray().Count)).ToList();
        Assert.Contains(("note", 1), stored);
        Assert.Contains(("outbound", 1), stored);
    }

    [Fact]
    public async Task Files_that_are_not_the_callers_unsent_uploads_are_refused_and_nothing_is_stored()
    {
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var ann = await fixture.CreateUserAsync("ann", "manager", channel.Id);
        var bob = await fixture.CreateUserAsync("bob", "manager", channel.Id);
        var conversationId = (await fixture.IngestAsync(channel, "in-1", "customer-1", "hello"))["conversationId"]!.GetValue<long>();
        var otherConversation = (await fixture.IngestAsync(channel, "in-2", "customer-2", "hi"))["conversationId"]!.GetValue<long>();
        var otherQuestion = await fixture.IngestAsync(channel, "in-3", "customer-2", "and this?");
        using var annHttp = fixture.App.Http(ann.Token);
        using var bobHttp = fixture.App.Http(bob.Token);
        var annsFile = await AppFixture.UploadIdAsync(annHttp, conversationId, "ann.txt", "a"u8.ToArray());
        var elsewhere = await AppFixture.UploadIdAsync(bobHttp, otherConversation, "other.txt", "b"u8.ToArray());

        var cases = new object[]
        {
            new { text = "bob sends ann's file", attachmentIds = new[] { annsFile } },
            new { text = "a file of another conversation", attachmentIds = new[] { elsewhere } },
            new { text = "no such file", attachmentIds = new[] { 999_999L } },
            new { text = "answers another conversation", replyToMessageId = otherQuestion["messageId"]!.GetValue<long>() },
            new { text = "too many", attachmentIds = Enumerable.Range(1, 11).Select(i => (long)i).ToArray() },
        };
        foreach (var body in cases)
        {
            var response = await bobHttp.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }

        Assert.Equal(0, await fixture.CountAsync("messages where direction <> 'inbound'"));
        Assert.Equal(0, await fixture.CountAsync("outbox"));
        Assert.Equal(2, await fixture.CountAsync("attachments where message_id is null"));
        var sent = await annHttp.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "mine", attachmentIds = new[] { annsFile } });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var again = await annHttp.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "again", attachmentIds = new[] { annsFile } });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task Bad_uploads_are_refused_with_problem_details()
    {
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var outsider = await fixture.CreateUserAsync("outsider", "manager");
        var conversationId = (await fixture.IngestAsync(channel, "in-1", "customer-1", "hello"))["conversationId"]!.GetValue<long>();
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var stranger = fixture.App.Http(outsider.Token);

        var tooLarge = await AppFixture.UploadAsync(admin, conversationId, "big.bin", new byte[(2 * 1024 * 1024) + 1]);
        var empty = await AppFixture.UploadAsync(admin, conversationId, "empty.txt", []);
        var notMultipart = await admin.PostAsJsonAsync($"/api/conversations/{conversationId}/attachments", new { file = "x" });
        var notTheirs = await AppFixture.UploadAsync(stranger, conversationId, "x.txt", "x"u8.ToArray());
        var anonymous = await AppFixture.UploadAsync(fixture.App.Http(), conversationId, "x.txt", "x"u8.ToArray());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notMultipart.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("attachments"));
        var upload = await AppFixture.UploadIdAsync(admin, conversationId, "x.txt", "x"u8.ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/attachments/{upload}")).StatusCode);
    }

    [Fact]
    public async Task Uploads_no_reply_took_are_removed_after_a_day_with_their_files_and_sent_ones_stay()
    {
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var conversationId = (await fixture.IngestAsync(channel, "in-1", "customer-1", "hello"))["conversationId"]!.GetValue<long>();
        using var http = fixture.App.Http(fixture.AdminToken);
        var abandoned = await AppFixture.UploadIdAsync(http, conversationId, "draft.txt", "draft"u8.ToArray());
        var fresh = await AppFixture.UploadIdAsync(http, conversationId, "fresh.txt", "fresh"u8.ToArray());
        var sent = await AppFixture.UploadIdAsync(http, conversationId, "sent.txt", "sent"u8.ToArray());
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "x", attachmentIds = new[] { sent } })).StatusCode);
        await using var db = fixture.Db();
        await db.ExecuteAsync("update attachments set created_at = now() - interval '2 days' where id in (@abandoned, @sent)", new { abandoned, sent });
        var file = await fixture.StoredFileAsync(abandoned);
        var sweeper = fixture.App.Services.GetRequiredService<ContactCenter.Api.Storage.UploadSweeper>();

        Assert.Equal(1, await sweeper.SweepAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/attachments/{abandoned}")).StatusCode);
        Assert.False(File.Exists(file));
        Assert.Equal("fresh"u8.ToArray(), await http.GetByteArrayAsync($"/api/attachments/{fresh}"));
        Assert.Equal("sent"u8.ToArray(), await http.GetByteArrayAsync($"/api/attachments/{sent}"));
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_reply_whose_file_vanished_from_storage_ends_failed_with_the_reason_not_queued_forever()
    {
        var channel = await fixture.CreateApiChannelAsync(callback.Url + "/hook");
        var conversationId = (await fixture.IngestAsync(channel, "in-1", "customer-1", "send me the file"))["conversationId"]!.GetValue<long>();
        using var http = fixture.App.Http(fixture.AdminToken);
        var upload = await AppFixture.UploadIdAsync(http, conversationId, "gone.txt", "gone"u8.ToArray());
        File.Delete(await fixture.StoredFileAsync(upload));

        var posted = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text = "here it is", attachmentIds = new[] { upload } });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

        JsonObject message = null!;
        await HttpJson.EventuallyAsync(async () =>
        {
            var page = await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/messages");
            message = page!["items"]!.AsArray().Single(m => m!["id"]!.GetValue<long>() == id)!.AsObject();
            return message["status"]!.GetValue<string>() == "failed";
        }, "the reply to fail", TimeSpan.FromSeconds(15));
        Assert.Contains("no longer in storage", message["error"]!.GetValue<string>());
        Assert.Empty(callback.LogEntries);
    }

    private async Task<JsonObject> DeliveredBodyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (callback.LogEntries.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The reply was not delivered in time.");
            await Task.Delay(100);
        }
        return JsonNode.Parse(callback.LogEntries.First().RequestMessage.Body!)!.AsObject();
    }
}
