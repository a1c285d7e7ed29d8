using System.Text;

namespace ContactCenter.Core;

/// <summary>
/// The one rule for a file name that came from outside (an upload, a mail part, a provider's media): the name is shown to
/// people and offered as a download name, never used as a path, but it still must not carry one.
/// </summary>
public static class FileNames
{
    private const int MaxLength = 200;

    /// <summary>
    /// Keeps only the last path segment and drops control and reserved characters, invisible formatting characters (the
    /// right-to-left override that shows `invoice\u202Efdp.exe` as "invoiceexe.pdf", zero-width marks) and leading dots:
    /// `../../etc/passwd` becomes `passwd`; a name that was an extension alone stays one after the fallback (`.pdf` becomes
    /// `file.pdf`). A name longer than 200 characters keeps its end (so its extension); nothing left gives <paramref name="fallback"/>.
    /// </summary>
    public static string Clean(string? name, string fallback = "file")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return fallback;
        }
        var last = name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var sb = new StringBuilder(last.Length);
        foreach (var ch in last)
        {
            if (!char.IsControl(ch) && char.GetUnicodeCategory(ch) != System.Globalization.UnicodeCategory.Format
                && ch is not ('<' or '>' or ':' or '"' or '|' or '?' or '*'))
            {
                sb.Append(ch);
            }
        }
        // Leading dots and spaces go (hidden files, ". ."), and so do trailing ones (".pdf." has no usable extension).
        var kept = sb.ToString().Trim().TrimEnd('.', ' ');
        if (kept.Length > MaxLength)
        {
            kept = kept[^MaxLength..];
            if (char.IsLowSurrogate(kept[0]))
            {
                kept = kept[1..];
            }
        }
        var cleaned = kept.TrimStart('.', ' ');
        if (cleaned.Length > 0 && cleaned.Length < kept.Length && !cleaned.Contains('.', StringComparison.Ordinal))
        {
            // The name was an extension alone (".pdf"): it keeps being one, so the file still opens as what it is.
            var stem = Path.GetFileNameWithoutExtension(fallback);
            cleaned = (stem.Length > 0 ? stem : "file") + "." + cleaned[^Math.Min(cleaned.Length, MaxLength - stem.Length - 1)..];
        }
        return cleaned.Length == 0 ? fallback : cleaned;
    }
}
