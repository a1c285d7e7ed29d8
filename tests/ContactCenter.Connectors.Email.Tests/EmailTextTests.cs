using ContactCenter.Core;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>The pure pieces: quote trimming, subjects and tokens, file names, HTML to text.</summary>
public sealed class EmailTextTests
{
    [Theory]
    [InlineData("Thanks!\n\nOn Mon, 23 Nov 2026 at 10:00, Anna <a@shop.test> wrote:\n> old text", "Thanks!")]
    [InlineData("Спасибо!\n\n23.11.2026, 10:00, Anna <a@shop.test> пишет:\n> старый текст", "Спасибо!")]
    [InlineData("Спасибо, жду доставку в субботу.\n\nсб, 5 дек. 2026 г. в 10:00, Sales <sales@shop.test>:\n\n> Здравствуйте! Ваш заказ готов.\n>", "Спасибо, жду доставку в субботу.")] // Gmail, Russian
    [InlineData("Подходит, спасибо!\n\n05.12.2026, 10:00, \"Sales\" <sales@shop.test>:\n> Можем доставить в понедельник.", "Подходит, спасибо!")] // Yandex
    [InlineData("Оплатила, проверьте пожалуйста.\n\nСуббота, 5 декабря 2026, 10:00 +03:00 от Sales <sales@shop.test>:\n>Счёт во вложении.", "Оплатила, проверьте пожалуйста.")] // Mail.ru
    [InlineData("Meet at 10:00, ask for Anna <anna@shop.test>:\nshe has the keys.", "Meet at 10:00, ask for Anna <anna@shop.test>:\nshe has the keys.")] // no quote follows: kept
    [InlineData("Fine.\n\n-----Original Message-----\nFrom: Anna\nSent: Monday", "Fine.")]
    [InlineData("Fine.\n\nFrom: Anna <a@shop.test>\nSent: Monday, November 23, 2026\nTo: Ivan\n\nold", "Fine.")]
    [InlineData("Fine.\n-- \nIvan Petrov\nAcme", "Fine.")]
    [InlineData("My answer\n> quoted 1\n> quoted 2\n", "My answer")]
    [InlineData("> only a quote", "> only a quote")]
    [InlineData("Inline reply:\n> question?\nanswer\n> another?\nanswer 2", "Inline reply:\n> question?\nanswer\n> another?\nanswer 2")]
    public void Quoted_history_and_signatures_are_trimmed(string text, string expected) =>
        Assert.Equal(expected, QuoteTrimmer.Trim(text));

    [Theory]
    [InlineData("Sofa delivery", 12, "Re: Sofa delivery [#CC-12]")]
    [InlineData("RE: Fwd: AW: Sofa delivery", 12, "Re: Sofa delivery [#CC-12]")]
    [InlineData("Re: Sofa delivery [#CC-12]", 12, "Re: Sofa delivery [#CC-12]")]
    public void Reply_subjects_get_one_re_and_the_token(string? subject, long conversationId, string expected) =>
        Assert.Equal(expected, EmailChannelSender.Subject(subject, conversationId));

    [Theory]
    [InlineData(null, 7, "Good afternoon, Olga!\nYour order is ready.", "Good afternoon, Olga! [#CC-7]")]
    [InlineData("", 7, "\n\n  Здравствуйте, Ольга! Ваш заказ готов к отгрузке со склада на Лесной улице, позвоните нам", "Здравствуйте, Ольга! Ваш заказ готов к отгрузке со склада на Лесной… [#CC-7]")]
    [InlineData(null, 7, "", "[#CC-7]")]
    public void The_first_email_of_a_conversation_a_manager_starts_is_titled_by_its_first_line_with_no_re(string? subject, long conversationId, string text, string expected) =>
        Assert.Equal(expected, EmailChannelSender.Subject(subject, conversationId, text));

    [Theory]
    [InlineData("Re: Order [#CC-42]", 42L)]
    [InlineData("[#CC-9] and [#CC-10]", 9L)]
    [InlineData("Order #CC-42", null)]
    public void The_subject_token_names_the_conversation(string subject, long? expected) =>
        Assert.Equal(expected, EmailParser.Token(subject));

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\win.ini", "win.ini")]
    [InlineData("....", "attachment")]
    [InlineData(".PDF", "attachment.PDF")]
    [InlineData("re\u0000port?.pdf", "report.pdf")]
    public void File_names_lose_path_parts_and_odd_characters(string name, string expected) =>
        Assert.Equal(expected, FileNames.Clean(name, "attachment"));

    [Fact]
    public void Html_becomes_readable_text()
    {
        var text = EmailHtml.ToText("<html><head><style>p{}</style></head><body><p>Hello&nbsp;there</p><div>Line 1<br>Line 2</div><script>x()</script></body></html>");
        Assert.Equal("Hello there\n\nLine 1\nLine 2", text);
    }

    [Fact]
    public void Sanitised_html_keeps_the_quote_markers_of_mail_clients_and_nothing_that_positions_over_the_reader()
    {
        // An outside review (session 29): every class and id was stripped, so the reader's quote folding (lib/email.ts)
        // never matched Gmail's or Outlook's history; and `position: fixed` overlays were kept for API clients.
        var html = EmailHtml.Sanitize("""
            <div class="gmail_quote extra-evil" id="main">quoted</div><div id="appendonsend"></div><div id="divRplyFwdMsg">From: Anna</div>
            <div class="modal-backdrop" style="position:fixed;z-index:99999;top:0;left:0;color:red">Pay here</div>
            """, out _);
        Assert.Contains("class=\"gmail_quote\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"appendonsend\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"divRplyFwdMsg\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("extra-evil", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"main\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("modal-backdrop", html, StringComparison.Ordinal);
        Assert.DoesNotContain("position", html, StringComparison.Ordinal);
        Assert.DoesNotContain("z-index", html, StringComparison.Ordinal);
        Assert.Contains("color:", html, StringComparison.Ordinal); // the rest of the style stays
    }
}
