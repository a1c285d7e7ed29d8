using System.Text.RegularExpressions;

namespace ContactCenter.Connectors.Email;

/// <summary>
/// Cuts quoted history ("On ... wrote:", "-----Original Message-----", Outlook "From:/Sent:" blocks, trailing "&gt;" lines)
/// and the signature ("-- ") off a reply, for the preview and the timeline. The full original stays on the message.
/// </summary>
public static partial class QuoteTrimmer
{
    public static string Trim(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var cut = lines.Length;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            var next = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
            if (line == "-- " || lines[i] == "-- " || line == "--" || Header().IsMatch(line)
                || Wrote().IsMatch(line) || (Wrote().IsMatch(line + " " + next) && OnStart().IsMatch(line))
                || (FromLine().IsMatch(line) && SentLine().IsMatch(next))
                || (Attribution().IsMatch(line) && QuoteFollows(lines, i + 1)))
            {
                cut = i;
                break;
            }
            if (line.StartsWith('>') && lines.Skip(i).All(l => l.StartsWith('>') || l.Trim().Length == 0))
            {
                cut = i;
                break;
            }
        }
        var kept = string.Join('\n', lines.Take(cut)).Trim();
        return kept.Length == 0 ? text.Trim() : kept;
    }

    [GeneratedRegex(@"^\s*-{2,}\s*(Original Message|Исходное сообщение|Пересылаемое сообщение|Forwarded message)\s*-{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex Header();

    [GeneratedRegex(@"^(On|Am|Le|El|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|[А-Яа-я]{2,3},?\s).{0,200}(wrote|schrieb|a écrit|escribió|пишет|написал|написала|написал\(а\)):\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Wrote();

    /// <summary>True when the next non-empty line from <paramref name="start"/> is quoted ("&gt;").</summary>
    private static bool QuoteFollows(string[] lines, int start) =>
        lines.Skip(start).FirstOrDefault(l => l.Trim().Length > 0)?.TrimStart().StartsWith('>') == true;

    /// <summary>
    /// An attribution with no "wrote" (Gmail in Russian "сб, 5 дек. 2026 г. в 10:00, Sales &lt;a@b&gt;:", Yandex
    /// "05.12.2026, 10:00, "Sales" &lt;a@b&gt;:", Mail.ru "Суббота, 5 декабря 2026, 10:00 +03:00 от Sales &lt;a@b&gt;:"): a time
    /// and an address in angle brackets, ending in a colon; taken only when a quote follows.
    /// </summary>
    [GeneratedRegex(@"^.{0,120}\b\d{1,2}:\d{2}\b.{0,160}<[^<>\s@]+@[^<>\s]+>:\s*$")]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^(On|Am|Le|El)\s", RegexOptions.IgnoreCase)]
    private static partial Regex OnStart();

    [GeneratedRegex(@"^\*?(From|От|Von|De):\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"^\*?(Sent|Date|Отправлено|Дата|Gesendet|Envoyé):\*?\s", RegexOptions.IgnoreCase)]
    private static partial Regex SentLine();
}
