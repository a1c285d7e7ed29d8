using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace ContactCenter.Api.Features.Imports;

/// <summary>
/// A CSV file as people send it: UTF-8 (with or without BOM), UTF-16 with BOM, or windows-1251 as Excel saves it in
/// Russia (a file that is not valid UTF-8 is read as 1251); `;` (Excel with a comma decimal separator), `,` or tab
/// between fields, whichever the first line uses most. Parsed by CsvHelper (quotes, doubled quotes, line breaks in quotes).
/// </summary>
public sealed record CsvUpload(string Text, string Encoding, char Delimiter)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static CsvUpload() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static CsvUpload Decode(byte[] bytes)
    {
        string text, encoding;
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
        {
            (text, encoding) = (System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3), "utf-8");
        }
        else if (bytes is [0xFF, 0xFE, ..])
        {
            (text, encoding) = (System.Text.Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2), "utf-16");
        }
        else if (bytes is [0xFE, 0xFF, ..])
        {
            (text, encoding) = (System.Text.Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2), "utf-16be");
        }
        else
        {
            try
            {
                (text, encoding) = (StrictUtf8.GetString(bytes), "utf-8");
            }
            catch (DecoderFallbackException)
            {
                (text, encoding) = (System.Text.Encoding.GetEncoding(1251).GetString(bytes), "windows-1251");
            }
        }
        return new CsvUpload(text, encoding, DetectDelimiter(text));
    }

    /// <summary>The delimiter counted on the first line (outside quotes): `;`, `,` or tab; `,` when none appears.</summary>
    public static char DetectDelimiter(string text)
    {
        int semicolons = 0, commas = 0, tabs = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                break;
            }
            else if (!quoted)
            {
                semicolons += c == ';' ? 1 : 0;
                commas += c == ',' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }
        return semicolons > commas && semicolons >= tabs ? ';' : tabs > commas ? '\t' : ',';
    }

    /// <summary>The records (blank lines skipped), at most <paramref name="max"/> (null: all).</summary>
    public List<string[]> Records(int? max = null)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = Delimiter.ToString(),
            HasHeaderRecord = false,
            BadDataFound = null,
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.Trim,
        };
        var records = new List<string[]>();
        using var reader = new StringReader(Text);
        using var parser = new CsvParser(reader, config);
        while ((max is null || records.Count < max) && parser.Read())
        {
            if (parser.Record is { } record && record.Any(f => f.Length > 0))
            {
                records.Add(record);
            }
        }
        return records;
    }
}
