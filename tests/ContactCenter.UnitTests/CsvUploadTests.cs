using System.Text;
using ContactCenter.Api.Features.Imports;

namespace ContactCenter.UnitTests;

/// <summary>How an uploaded CSV is decoded and split (issue #17): the encodings and delimiters Excel and others produce.</summary>
public sealed class CsvUploadTests
{
    [Fact]
    public void Utf8_with_or_without_BOM_and_utf16_with_BOM_are_read_as_such()
    {
        var text = "Имя,Почта\nЁлкина,a@b.ru\n";
        Assert.Equal(("utf-8", text), Read(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(("utf-8", text), Read([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]));
        Assert.Equal(("utf-16", text), Read([0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)]));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_read_as_windows_1251()
    {
        var cp1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;
        Assert.Equal(("windows-1251", "ФИО;Телефон\r\nЁжиков;+7\r\n"), Read(cp1251.GetBytes("ФИО;Телефон\r\nЁжиков;+7\r\n")));
    }

    [Theory]
    [InlineData("a;b;c\n1;2;3", ';')]
    [InlineData("a,b,c\n1,2,3", ',')]
    [InlineData("a\tb\n1\t2", '\t')]
    [InlineData("\"x;y;z\",b\n1,2", ',')] // a delimiter inside quotes does not count
    [InlineData("name\nAnn", ',')]
    public void The_delimiter_is_the_one_the_first_line_uses_most(string text, char expected) =>
        Assert.Equal(expected, CsvUpload.DetectDelimiter(text));

    [Fact]
    public void Records_keep_quoted_delimiters_and_doubled_quotes_and_skip_blank_lines()
    {
        var csv = CsvUpload.Decode(Encoding.UTF8.GetBytes("name,note\n\"Smith, John\",\"said \"\"hi\"\"\"\n\n  Ann  ,\n"));
        var records = csv.Records();
        Assert.Equal(3, records.Count);
        Assert.Equal(["Smith, John", "said \"hi\""], records[1]);
        Assert.Equal(["Ann", ""], records[2]);
        Assert.Single(csv.Records(max: 1));
    }

    private static (string Encoding, string Text) Read(byte[] bytes)
    {
        var csv = CsvUpload.Decode(bytes);
        return (csv.Encoding, csv.Text);
    }
}
