using ContactCenter.Core;


namespace ContactCenter.UnitTests;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\system32\\cmd.exe", "cmd.exe")]
    [InlineData("/absolute/path/report.pdf", "report.pdf")]
    [InlineData("..", "file")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    [InlineData(".hidden", "file.hidden")]
    [InlineData(".pdf", "file.pdf")]                                     // an extension alone stays one (it became "pdf")
    [InlineData("../..pdf", "file.pdf")]
    [InlineData("...tar.gz", "tar.gz")]
    [InlineData(". pdf", "file.pdf")]
    [InlineData(".pdf.", "file.pdf")]
    [InlineData(". . .", "file")]
    [InlineData("счёт №5.pdf", "счёт №5.pdf")]
    [InlineData("a<b>c:d\"e|f?g*h.txt", "abcdefgh.txt")]
    [InlineData("bell\u0007name.txt", "bellname.txt")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]              // a right-to-left override would show "invoiceexe.pdf"
    [InlineData("a\u200Eb\u2066c\u2069\u200B.png", "abc.png")]         // direction marks and isolates, a zero-width space
    public void File_names_lose_path_parts_and_reserved_characters(string? input, string expected)
    {
        Assert.Equal(expected, FileNames.Clean(input));
    }

    [Fact]
    public void A_long_name_never_comes_back_as_a_hidden_one_and_a_fallback_with_an_extension_lends_only_its_stem()
    {
        Assert.Equal("file." + new string('a', 195), FileNames.Clean("." + new string('a', 199)));
        // Cut to its last 200 characters, a name with a 199-letter extension is that extension: it stays one.
        Assert.Equal("file." + new string('b', 195), FileNames.Clean(new string('a', 10) + "." + new string('b', 199)));
        Assert.Equal("import.xlsx", FileNames.Clean(".xlsx", "import.csv"));
        var emoji = FileNames.Clean("x" + string.Concat(Enumerable.Repeat("😀", 150)) + ".txt");
        Assert.False(char.IsLowSurrogate(emoji[0]));
        Assert.EndsWith(".txt", emoji);
    }

    [Fact]
    public void Very_long_names_keep_their_extension()
    {
        var cleaned = FileNames.Clean(new string('x', 500) + ".pdf");

        Assert.Equal(200, cleaned.Length);
        Assert.EndsWith(".pdf", cleaned);
    }
}
