using ContactCenter.Api.Features.Fields;

namespace ContactCenter.UnitTests;

/// <summary>The one CSV escaper of the list exports and the reports: what a spreadsheet must not run or split.</summary>
public sealed class CsvEscapeTests
{
    [Theory]
    [InlineData("X;=cmd|' /C calc'!A0", "\"X;=cmd|' /C calc'!A0\"")] // Russian Excel splits on ';': quoted, one cell
    [InlineData("=1+1", "'=1+1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("-12.5", "-12.5")] // a negative number stays a number
    [InlineData("Иванов, \"ООО\"", "\"Иванов, \"\"ООО\"\"\"")]
    [InlineData("", "")]
    public void Formulas_are_defused_and_separators_quoted(string value, string expected) =>
        Assert.Equal(expected, CsvText.Escape(value));
}
