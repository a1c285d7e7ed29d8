namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// The `q` of the contact and company lists: a case-insensitive part of a name or email (LIKE through the trigram
/// indexes of migrations 1109/1114, lower-cased with ICU in SQL as the indexes are), or three or more digits of a phone.
/// </summary>
public sealed record ContactSearch(string? Pattern, string? Digits)
{
    public const int MaxLength = 200;

    public static ContactSearch From(string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return new ContactSearch(null, null);
        }
        var text = q.Trim();
        // LIKE's own characters are matched literally (backslash is PostgreSQL's default escape).
        var escaped = text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        return new ContactSearch("%" + escaped + "%", digits.Length >= 3 ? "%" + digits + "%" : null);
    }
}
