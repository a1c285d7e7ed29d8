using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Email.Tests.Infrastructure;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using MimeKit;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>Conversations threaded over a real mailbox, replies leaving through a real SMTP server, bounces coming back.</summary>
public sealed class ThreadingAndSendingTests(EmailFixture fixture) : IClassFixture<EmailFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetEmailAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<EmailFixture.StoredMessage> ReceiveAsync(EmailFixture.Mailbox mailbox, MimeMessage message)
    {
        var before = await fixture.MessageCountAsync(mailbox.ChannelId);
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(message));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, (int)before + 1);
        return (await fixture.MessagesAsync(mailbox.ChannelId)).Single(m => m.ExternalId == message.MessageId);
    }

    private async Task<long> ReplyAsync(long conversationId, string text)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        return body!["id"]!.GetValue<long>();
    }

    private async Task<EmailFixture.StoredMessage> WaitForStatusAsync(long channelId, long messageId, Func<EmailFixture.StoredMessage, bool> done)
    {
        EmailFixture.StoredMessage? found = null;
        await fixture.WaitUntilAsync(async () =>
        {
            found = (await fixture.MessagesAsync(channelId)).Single(m => m.Id == messageId);
            return done(found);
        }, $"message {messageId} to reach the expected status");
        return found!;
    }

    [Fact]
    public async Task A_threaded_conversation_round_trips_through_smtp_and_imap()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var question = await ReceiveAsync(mailbox, Mail.Text(mailbox.Address, "Sofa delivery", "When can you deliver the sofa?", messageId: "q1@customer.test"));
        var conversationId = question.ConversationId;

        var replyId = await ReplyAsync(conversationId, "We can deliver on Tuesday.\nBest regards, Anna");
        var sent = await fixture.Smtp.WaitForAsync(m => m.TextBody?.Contains("Tuesday", StringComparison.Ordinal) == true);
        Assert.Equal(mailbox.Address, sent.From.Mailboxes.Single().Address);
        Assert.Equal(Mail.Customer, sent.To.Mailboxes.Single().Address);
        Assert.Equal($"Re: Sofa delivery [#CC-{conversationId}]", sent.Subject);
        Assert.Equal("q1@customer.test", sent.InReplyTo);
        Assert.Equal(["q1@customer.test"], sent.References);
        Assert.EndsWith("@" + mailbox.Address.Split('@')[1], sent.MessageId, StringComparison.Ordinal);
        Assert.False(sent.Headers.Contains(HeaderId.AutoSubmitted)); // a person's reply
        var alternative = Assert.IsType<MultipartAlternative>(sent.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Contains("We can deliver on Tuesday.<br>", sent.HtmlBody, StringComparison.Ordinal);
        var outbound = await WaitForStatusAsync(mailbox.ChannelId, replyId, m => m.Status == "sent");
        Assert.Equal(sent.MessageId, outbound.ExternalId);
        Assert.Equal(sent.MessageId, outbound.M("messageId"));

        // The customer's client answers our mail: In-Reply-To our Message-ID.
        var answer = Mail.Text(mailbox.Address, sent.Subject!, "Tuesday is fine.\n\nOn Tue, Anna wrote:\n> We can deliver on Tuesday.", messageId: "q2@customer.test");
        answer.InReplyTo = sent.MessageId;
        answer.References.Add("q1@customer.test");
        answer.References.Add(sent.MessageId!);
        var second = await ReceiveAsync(mailbox, answer);
        Assert.Equal(conversationId, second.ConversationId);
        Assert.Equal("Tuesday is fine.", second.Text);

        var reply2 = await ReplyAsync(conversationId, "Great, see you then.");
        var sent2 = await fixture.Smtp.WaitForAsync(m => m.TextBody?.Contains("see you then", StringComparison.Ordinal) == true);
        Assert.Equal("q2@customer.test", sent2.InReplyTo);
        Assert.Equal(["q1@customer.test", sent.MessageId!, "q2@customer.test"], sent2.References);
        Assert.Equal($"Re: Sofa delivery [#CC-{conversationId}]", sent2.Subject);
        Assert.NotEqual(sent.MessageId, sent2.MessageId);
        await WaitForStatusAsync(mailbox.ChannelId, reply2, m => m.Status == "sent");
        Assert.Equal(1, await fixture.CountAsync("conversations"));
    }

    [Fact]
    public async Task Files_uploaded_for_a_reply_leave_as_attachments_with_their_cyrillic_names_in_the_thread()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var question = await ReceiveAsync(mailbox, Mail.Text(mailbox.Address, "Invoice", "Please send the invoice.", messageId: "invoice@customer.test"));
        using var http = fixture.App.Http(fixture.AdminToken);
        byte[] pdf = [.. "%PDF-1.4 счёт "u8, 0x00, 0x01, 0xFE, 0xFF];
        var invoice = await AppFixture.UploadIdAsync(http, question.ConversationId, "Счёт №42.pdf", pdf, "application/pdf");
        var response = await http.PostAsJsonAsync($"/api/conversations/{question.ConversationId}/messages", new { text = "The invoice is attached.", attachmentIds = new[] { invoice } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var replyId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

        var (sent, raw) = await fixture.Smtp.WaitForRawAsync(m => m.TextBody?.Contains("invoice is attached", StringComparison.Ordinal) == true);
        var file = Assert.IsType<MimePart>(Assert.Single(sent.Attachments));
        Assert.Equal("Счёт №42.pdf", file.FileName);
        Assert.Equal("application/pdf", file.ContentType.MimeType);
        using (var content = new MemoryStream())
        {
            file.Content!.DecodeTo(content);
            Assert.Equal(pdf, content.ToArray());
        }
        // On the wire: RFC 2231 (filename*=utf-8''%D0%A1...), no raw UTF-8 in the headers.
        Assert.Matches(@"(?i)filename\*(0\*)?=utf-8''%D0%A1%D1%87", raw);
        Assert.True(raw.All(char.IsAscii), "the message went out 7-bit clean");
        var mixed = Assert.IsType<Multipart>(sent.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal("invoice@customer.test", sent.InReplyTo);
        Assert.Equal(["invoice@customer.test"], sent.References);
        Assert.Equal($"Re: Invoice [#CC-{question.ConversationId}]", sent.Subject);
        var stored = await WaitForStatusAsync(mailbox.ChannelId, replyId, m => m.Status == "sent");
        Assert.Equal(sent.MessageId, stored.ExternalId);
        Assert.Equal("Счёт №42.pdf", stored.M("attachments"));

        // A reply that is only a file.
        var photo = await AppFixture.UploadIdAsync(http, question.ConversationId, "photo.jpg", [0xFF, 0xD8, 0xFF, 0xE0], "image/jpeg");
        var onlyFile = await http.PostAsJsonAsync($"/api/conversations/{question.ConversationId}/messages", new { text = "", attachmentIds = new[] { photo } });
        Assert.True(onlyFile.IsSuccessStatusCode, await onlyFile.Content.ReadAsStringAsync());
        var second = await fixture.Smtp.WaitForAsync(m => m.Attachments.Any(a => a.ContentDisposition?.FileName == "photo.jpg"));
        Assert.Equal("image/jpeg", Assert.Single(second.Attachments).ContentType.MimeType);
        Assert.Equal(sent.MessageId, second.InReplyTo); // our previous reply is the latest message of the thread
    }

    [Fact]
    public async Task A_reply_is_threaded_by_references_or_by_the_subject_token_but_only_for_the_same_sender()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var first = await ReceiveAsync(mailbox, Mail.Text(mailbox.Address, "Order 17", "Where is my order?", messageId: "order17@customer.test"));

        var byReferences = Mail.Text(mailbox.Address, "Re: Order 17", "Any news?");
        byReferences.References.Add("unknown@elsewhere.test");
        byReferences.References.Add("order17@customer.test");
        Assert.Equal(first.ConversationId, (await ReceiveAsync(mailbox, byReferences)).ConversationId);

        // A client that dropped the headers but kept our token in the subject.
        var byToken = Mail.Text(mailbox.Address, $"AW: Re: Order 17 [#CC-{first.ConversationId}]", "Hello again?");
        Assert.Equal(first.ConversationId, (await ReceiveAsync(mailbox, byToken)).ConversationId);

        var unrelated = await ReceiveAsync(mailbox, Mail.Text(mailbox.Address, "Another topic", "A new question"));
        Assert.NotEqual(first.ConversationId, unrelated.ConversationId);

        // Someone else quoting the thread (or guessing the token) does not get into this customer's conversation.
        var stranger = Mail.Text(mailbox.Address, $"Re: Order 17 [#CC-{first.ConversationId}]", "I am someone else", from: "stranger@other.test");
        stranger.InReplyTo = "order17@customer.test";
        var strangers = await ReceiveAsync(mailbox, stranger);
        Assert.NotEqual(first.ConversationId, strangers.ConversationId);
        Assert.Equal(3, await fixture.CountAsync("conversations"));
    }

    [Fact]
    public async Task A_permanent_smtp_error_fails_the_message_with_the_server_reason_and_a_transient_one_retries()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var rejected = await ReceiveAsync(mailbox, Mail.Text(mailbox.Address, "Hi", "question", from: "someone@reject.test"));
        var deferred = await ReceiveAsync(mailbox, Mail.Text(mailbox.Address, "Hi", "question", from: "someone@defer.test"));

        var rejectedReply = await ReplyAsync(rejected.ConversationId, "answer 1");
        var deferredReply = await ReplyAsync(deferred.ConversationId, "answer 2");

        var failed = await WaitForStatusAsync(mailbox.ChannelId, rejectedReply, m => m.Status == "failed");
        Assert.Contains("554", failed.Error, StringComparison.Ordinal);
        Assert.Contains("rejected as spam", failed.Error, StringComparison.Ordinal);
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("select attempts from outbox where message_id = @rejectedReply", new { rejectedReply }));

        await fixture.WaitUntilAsync(async () =>
            await db.ExecuteScalarAsync<int>("select attempts from outbox where message_id = @deferredReply", new { deferredReply }) >= 2, "a second attempt");
        var retried = (await fixture.MessagesAsync(mailbox.ChannelId)).Single(m => m.Id == deferredReply);
        Assert.Contains("451", retried.Error, StringComparison.Ordinal);
        Assert.Contains("Greylisted", retried.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Smtp.Received, r => r.Recipients.Any(a => a.EndsWith("reject.test", StringComparison.Ordinal) || a.EndsWith("defer.test", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_delivery_status_bounce_marks_the_original_outbound_message_failed()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var question = await ReceiveAsync(mailbox, Mail.Text(mailbox.Address, "Hello", "Question", from: "gone@customer.test"));
        var replyId = await ReplyAsync(question.ConversationId, "Our answer");
        var sent = await WaitForStatusAsync(mailbox.ChannelId, replyId, m => m.Status == "sent");

        var dsn = Encoding.ASCII.GetBytes($"""
            Return-Path: <>
            From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>
            To: {mailbox.Address}
            Subject: Undelivered Mail Returned to Sender
            Message-ID: <bounce-1@mx.customer.test>
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="B"

            --B
            Content-Type: text/plain

            I'm sorry to have to inform you that your message could not be delivered.

            --B
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.customer.test

            Final-Recipient: rfc822; gone@customer.test
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 <gone@customer.test>: Recipient address rejected: User unknown

            --B
            Content-Type: text/rfc822-headers

            From: Sales <{mailbox.Address}>
            To: gone@customer.test
            Subject: Re: Hello
            Message-ID: <{sent.ExternalId}>

            --B--
            """.ReplaceLineEndings("\r\n"));
        await fixture.Imap.AppendAsync(mailbox.Address, dsn);

        var bounced = await WaitForStatusAsync(mailbox.ChannelId, replyId, m => m.Status == "failed");
        Assert.Contains("550 5.1.1", bounced.Error, StringComparison.Ordinal);
        Assert.Contains("gone@customer.test", bounced.Error, StringComparison.Ordinal);
        Assert.Equal(2, await fixture.MessageCountAsync(mailbox.ChannelId)); // the bounce itself opens no conversation
        Assert.Equal(1, await fixture.CountAsync("contacts"));
    }
}
