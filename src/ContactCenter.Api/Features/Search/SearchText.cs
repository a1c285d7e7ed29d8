using System.Text;

namespace ContactCenter.Api.Features.Search;

/// <summary>
/// What the search sends to PostgreSQL besides the text itself, and how its snippets become safe HTML.
/// Snippets mark hits with the sentinels <see cref="Start"/>/<see cref="Stop"/> (control characters, removed from
/// the message text before ts_headline sees it, so text can never forge a mark); everything is HTML-escaped here and
/// only then do the sentinels become &lt;mark&gt;&lt;/mark&gt;.
/// </summary>
public static class SearchText
{
    public const char Start = '\u0001';
    public const char Stop = '\u0002';
    public const int MaxLength = 200;

    /// <summary>Why the text cannot be searched, or null when it can.</summary>
    public static string? Problem(string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return "Type something to search for.";
        }
        if (q.Length > MaxLength)
        {
            return $"The search text is longer than {MaxLength} characters.";
        }
        for (var i = 0; i < q.Length; i++)
        {
            var c = q[i];
            // NUL cannot travel to PostgreSQL at all; the other control characters have no place in a search either.
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return "The search text contains control characters.";
            }
            if (char.IsHighSurrogate(c) && i + 1 < q.Length && char.IsLowSurrogate(q[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "The search text is not valid Unicode.";
            }
        }
        return null;
    }

    /// <summary>
    /// A prefix query (to_tsquery('simple', ...)) for a text of one word of six or more letters: the word cut to its first
    /// max(5, length - 3) letters, `:*`. Stemmers disagree on derived forms (English: "delivery" -> deliveri but
    /// "delivered" -> deliv), so this is OR-ed with the stemmed queries. Only for one word: a prefix is read from the
    /// whole GIN posting list of every word it matches, so prefixes of several words would make rare searches slow.
    /// Empty otherwise. Only letters get in, so no tsquery syntax can.
    /// </summary>
    public static string PrefixQuery(string q)
    {
        var word = q.Trim().ToLowerInvariant();
        if (word.Length < 6 || !word.All(char.IsLetter))
        {
            return "";
        }
        return word[..Math.Max(5, word.Length - 3)] + ":*";
    }

    /// <summary>The digits of a text that looks like a phone number (at least three digits and nothing but + ( ) - . and spaces), else null.</summary>
    public static string? PhoneDigits(string q)
    {
        var digits = new StringBuilder();
        foreach (var c in q.Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not ('+' or '(' or ')' or '-' or '.' or ' '))
            {
                return null;
            }
        }
        return digits.Length >= 3 ? digits.ToString() : null;
    }

    /// <summary>A ts_headline result (sentinels around hits) as HTML: escaped, hits in &lt;mark&gt;.</summary>
    public static string ToHtml(string headline)
    {
        var html = new StringBuilder(headline.Length + 32);
        var open = false;
        foreach (var c in headline)
        {
            switch (c)
            {
                case Start when !open:
                    html.Append("<mark>");
                    open = true;
                    break;
                case Stop when open:
                    html.Append("</mark>");
                    open = false;
                    break;
                case Start or Stop:
                    break;
                default:
                    Escape(html, c);
                    break;
            }
        }
        if (open)
        {
            html.Append("</mark>");
        }
        return html.ToString();
    }

    /// <summary>A contact hit: the field that matched with the match marked, then the latest message's start.</summary>
    public static string ContactSnippet(string field, string match, string? preview)
    {
        var html = new StringBuilder();
        var at = match.Length == 0 ? -1 : field.IndexOf(match, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            EscapeAll(html, field);
        }
        else
        {
            EscapeAll(html, field[..at]);
            html.Append("<mark>");
            EscapeAll(html, field.Substring(at, match.Length));
            html.Append("</mark>");
            EscapeAll(html, field[(at + match.Length)..]);
        }
        if (!string.IsNullOrEmpty(preview))
        {
            html.Append(": ");
            EscapeAll(html, preview.Length > 140 ? preview[..140] + "…" : preview);
        }
        return html.ToString();
    }

    private static void EscapeAll(StringBuilder html, string text)
    {
        foreach (var c in text)
        {
            Escape(html, c);
        }
    }

    // The five characters that matter in HTML text and attributes; the web app decodes exactly these.
    private static void Escape(StringBuilder html, char c)
    {
        switch (c)
        {
            case '&': html.Append("&amp;"); break;
            case '<': html.Append("&lt;"); break;
            case '>': html.Append("&gt;"); break;
            case '"': html.Append("&quot;"); break;
            case '\'': html.Append("&#39;"); break;
            case Start or Stop: break;
            default: html.Append(c); break;
        }
    }
}
