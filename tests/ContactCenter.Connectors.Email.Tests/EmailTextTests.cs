using ContactCenter.Core;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>The pure pieces: quote trimming, subjects and tokens, file names, HTML to text.</summary>
public sealed class EmailTextTests
{
    [Theory]
    [InlineData("Thanks!\n\nOn Mon, 23 Nov 2026 at 10:00, Anna <a@shop.test> wrote:\n> old text", "Thanks!")]
    [InlineData("Спасибо!\n\n23.11.2026, 10:00, Anna <a@shop.test> пишет:\n> старый текст", "Спасибо!")]
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
    [InlineData(null, 7, "Re: [#CC-7]")]
    public void Reply_subjects_get_one_re_and_the_token(string? subject, long conversationId, string expected) =>
        Assert.Equal(expected, EmailChannelSender.Subject(subject, conversationId));

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
    [InlineData("re\u0000port?.pdf", "report.pdf")]
    public void File_names_lose_path_parts_and_odd_characters(string name, string expected) =>
        Assert.Equal(expected, FileNames.Clean(name, "attachment"));

    [Fact]
    public void Html_becomes_readable_text()
    {
        var text = EmailHtml.ToText("<html><head><style>p{}</style></head><body><p>Hello&nbsp;there</p><div>Line 1<br>Line 2</div><script>x()</script></body></html>");
        Assert.Equal("Hello there\n\nLine 1\nLine 2", text);
    }
}
