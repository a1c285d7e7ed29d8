using System.Globalization;
using System.Text;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>
/// The email parser alone (no IMAP server, no database, no app) on the recorded client samples: what the reader would
/// hand the pipeline for each. ClientSampleTests proves the same samples end stored once through a real mailbox.
/// </summary>
public sealed class EmailParserSampleTests
{
    private static readonly EmailParser.Context Context = new(ChannelId: 7, OwnAddress: "sales@shop.test", UidValidity: 1, Uid: 42, new EmailOptions());

    [Theory]
    [MemberData(nameof(ClientSamples.All), MemberType = typeof(ClientSamples))]
    public void A_client_sample_parses_to_its_sender_text_time_and_files(
        string file, string from, string name, string subject, string text, string? sentAtUtc, string[] attachments)
    {
        var verdict = EmailParser.Parse(ClientSamples.Read(file), Context);

        var store = Assert.IsType<EmailVerdict.Store>(verdict);
        var message = store.Message;
        Assert.Equal(7, message.ChannelId);
        Assert.Equal(from, message.Sender.Address);
        Assert.Equal(from, message.Sender.Email);
        Assert.Equal(name, message.Sender.DisplayName);
        Assert.Equal(subject, message.Metadata!["subject"]);
        Assert.Contains(text, message.Text, StringComparison.Ordinal);
        Assert.False(message.Metadata.ContainsKey("warning"), message.Metadata.GetValueOrDefault("warning"));
        foreach (var value in new[] { message.Text, subject, message.Sender.DisplayName })
        {
            Assert.DoesNotMatch("[ÐÑÃâ\uFFFD]", value ?? ""); // mojibake of Cyrillic or Latin-1, replacement characters
        }
        if (sentAtUtc is null)
        {
            Assert.Null(message.SentAt); // the pipeline then takes the receive time
        }
        else
        {
            Assert.Equal(DateTimeOffset.Parse(sentAtUtc, CultureInfo.InvariantCulture), message.SentAt);
        }
        Assert.Equal(attachments, message.Attachments.Select(a => a.FileName));
        Assert.All(message.Attachments, a => Assert.True(a.Content is { Length: > 0 }, $"{a.FileName} has no content"));
        Assert.False(message.Automated);
        Assert.False(string.IsNullOrEmpty(message.ExternalId));
    }

    [Theory]
    [InlineData("unknown-8bit-cp1251.eml")] // sendmail's label for 8-bit mail it could not name
    [InlineData("usascii-declared-cp1251.eml")] // a mailer's default label over windows-1251 bytes
    public void A_body_whose_declared_charset_cannot_be_right_is_read_by_its_bytes(string file)
    {
        var message = Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(ClientSamples.Read(file), Context)).Message;
        Assert.Equal("Добрый день! Прошу выставить счёт на 3 дивана.", message.Text);
    }

    [Fact]
    public void A_body_labelled_with_a_charset_nobody_knows_is_read_by_its_bytes()
    {
        // Found by an outside review (session 42): `charset=x-bogus-42` was read as UTF-8 and every 8-bit byte dropped ("café"
        // came as "caf"). Its bytes are now read as an unlabelled part's are (BodyCharset.Guess: windows-1251 for these).
        const string written = "windows-1251", text = "Добрый день, счёт на 3 дивана";
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var head = Encoding.ASCII.GetBytes("From: Olga <olga@customer.test>\r\nTo: sales@shop.test\r\nSubject: Hi\r\nMessage-ID: <bogus-charset@customer.test>\r\n"
            + "Date: Wed, 2 Dec 2026 11:00:00 +0300\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-bogus-42\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        var raw = head.Concat(Encoding.GetEncoding(written).GetBytes(text + "\r\n")).ToArray();

        Assert.Equal(text, Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(raw, Context)).Message.Text);
    }

    [Fact]
    public void A_web_form_from_a_no_reply_address_keeps_the_form_as_its_author_and_the_person_as_the_sender()
    {
        var message = Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(ClientSamples.Read("webform-replyto.eml"), Context)).Message;
        Assert.Equal("olga@customer2.test", message.Metadata!["senderAddress"]);
        Assert.Contains("noreply@site.test", message.Metadata["from"], StringComparison.Ordinal);

        // A person's own Reply-To (another of their addresses) does not replace them.
        var own = Encoding.UTF8.GetBytes("From: Ivan <ivan@work.test>\r\nReply-To: ivan@home.test\r\nTo: sales@shop.test\r\nSubject: Hi\r\n"
            + "Message-ID: <own-reply-to@work.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n");
        Assert.Equal("ivan@work.test", Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(own, Context)).Message.Sender.Address);
    }

    [Fact]
    public void Two_different_emails_with_one_message_id_differ_in_fingerprint_and_the_same_email_read_again_does_not()
    {
        static byte[] Mail(string from, string subject, string text) => Encoding.UTF8.GetBytes(
            $"From: {from}\r\nTo: sales@shop.test\r\nSubject: {subject}\r\nDate: Wed, 2 Dec 2026 11:00:00 +0300\r\nMessage-ID: <1@localhost>\r\n"
            + $"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n");
        string Fingerprint(byte[] raw, long uid) =>
            Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(raw, Context with { Uid = uid })).Message.Metadata!["fingerprint"];

        var invoice1 = Mail("buh@romashka.test", "Счет №1", "Счёт №1 на 10 000 руб.");
        var invoice2 = Mail("buh@les.test", "Счет №2", "Счёт №2 на 20 000 руб.");
        var invoice3 = Mail("buh@romashka.test", "Счет №3", "Счёт №3 на 30 000 руб.");
        Assert.Equal(Fingerprint(invoice1, 1), Fingerprint(invoice1, 2));
        Assert.NotEqual(Fingerprint(invoice1, 1), Fingerprint(invoice2, 2));
        Assert.NotEqual(Fingerprint(invoice1, 1), Fingerprint(invoice3, 3));
    }

    [Theory]
    [InlineData("Fri, 4 Dec 2026 10:00:00 MSK", "2026-12-04T07:00:00Z")] // MimeKit alone read MSK as UTC
    [InlineData("Fri, 4 Dec 2026 10:00:00 +0300 (MSK)", "2026-12-04T07:00:00Z")]
    [InlineData("Fri, 4 Dec 2026 10:00:00 GMT", "2026-12-04T10:00:00Z")]
    public void A_date_in_moscow_time_by_name_is_read_at_its_offset(string date, string utc)
    {
        var raw = Encoding.UTF8.GetBytes($"From: olga@yandex.test\r\nTo: sales@shop.test\r\nSubject: Date\r\nDate: {date}\r\nMessage-ID: <msk@x.test>\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n\r\nПривет\r\n");
        var message = Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(raw, Context)).Message;
        Assert.Equal(DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture), message.SentAt);
    }

    [Theory]
    [InlineData("Petrov Ivan <ivan@customer.test>", "Автоответ: Заказ дивана", true)] // Exchange in Russian, no Auto-Submitted
    [InlineData("Anna <anna@customer.test>", "Automatic reply: Sofa delivery", true)]
    [InlineData("MAILER-DAEMON@mx.old.test", "failure notice", true)] // qmail's plain-text bounce
    [InlineData("postmaster@mx.old.test", "Returned mail", true)]
    [InlineData("Ivan <ivan@customer.test>", "Re: Автоответ не пришёл?", false)]
    [InlineData("Ivan <ivan@customer.test>", "Out of stock sofas?", false)]
    public void Out_of_office_replies_and_system_senders_without_auto_headers_are_automated(string from, string subject, bool automated)
    {
        var raw = Encoding.UTF8.GetBytes($"From: {from}\r\nTo: sales@shop.test\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@x.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nМеня нет в офисе до понедельника.\r\n");
        var message = Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(raw, Context)).Message;
        Assert.Equal(automated, message.Automated);
    }

    [Fact]
    public void The_same_bytes_parse_to_the_same_external_id_so_a_second_read_is_a_duplicate()
    {
        var raw = ClientSamples.Read("gmail.eml");
        var first = Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(raw, Context)).Message;
        var again = Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(raw, Context with { Uid = 43 })).Message;
        Assert.Equal(first.ExternalId, again.ExternalId);
    }
}
