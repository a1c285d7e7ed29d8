using System.Globalization;
using System.Text;
using ContactCenter.Api.Features.Fields;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Reports;

/// <summary>
/// A report as CSV for spreadsheets: UTF-8 with a BOM (Excel reads Cyrillic names right), cells escaped by
/// <see cref="CsvText.Escape"/> (the list exports' rules), invariant numbers.
/// </summary>
public sealed class ReportCsv
{
    private readonly StringBuilder text = new();

    public ReportCsv(params string[] header) => Row(header);

    /// <summary>True when the caller asked for CSV: `format=csv` or an Accept header naming text/csv.</summary>
    public static bool Wanted(HttpRequest request) =>
        string.Equals(request.Query["format"], "csv", StringComparison.OrdinalIgnoreCase)
        || request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);

    public ReportCsv Row(params object?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }
            text.Append(Cell(cells[i]));
        }
        text.Append("\r\n");
        return this;
    }

    // Text goes through the one CSV escaper the exports share (quoting on `;` too, formulas defused); numbers and times
    // are written invariant, so they never need quotes.
    private static string Cell(object? value) => value switch
    {
        null => "",
        string s => CsvText.Escape(s),
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => CsvText.Escape(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => CsvText.Escape(value.ToString()),
    };

    public FileContentHttpResult ToResult(string name) =>
        TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray(), "text/csv; charset=utf-8", name);
}
