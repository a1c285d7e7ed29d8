using System.Globalization;
using System.Text;

namespace ContactCenter.Api.Features.Fields;

/// <summary>
/// Writes CSV for spreadsheets: UTF-8 with a BOM (without it Excel reads Cyrillic as mojibake), comma-separated, CRLF
/// rows; a value is quoted when it holds a comma, a semicolon (the separator Excel uses in Russian and other locales),
/// a quote, a line break or edge spaces, and quotes inside are doubled. A value starting with = + - @ (not a number), a tab
/// or a carriage return gets a leading apostrophe so a spreadsheet does not run it as a formula.
/// </summary>
public sealed class CsvText(Stream output) : IAsyncDisposable
{
    private readonly StreamWriter writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };

    private bool started;

    public async Task RowAsync(IEnumerable<string?> values)
    {
        if (!started)
        {
            // The byte order mark, written by hand: StreamWriter adds its own only on some streams.
            started = true;
            await writer.WriteAsync('\uFEFF');
        }
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                await writer.WriteAsync(',');
            }
            first = false;
            await writer.WriteAsync(Escape(value));
        }
        await writer.WriteLineAsync();
    }

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if ((value[0] is '\t' or '\r') || (value[0] is '=' or '+' or '-' or '@' && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _)))
        {
            value = "'" + value;
        }
        var quote = value.AsSpan().IndexOfAny(",;\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' ';
        return quote ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Date(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    public static string Money(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await writer.FlushAsync();
        await writer.DisposeAsync();
    }
}
