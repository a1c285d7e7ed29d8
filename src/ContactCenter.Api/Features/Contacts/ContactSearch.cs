using ContactCenter.Api.Auth;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// The `q` of the contact and company lists: a case-insensitive part of a name or email (LIKE through the trigram
/// indexes of migrations 1109/1114, lower-cased with ICU in SQL as the indexes are), or three or more digits of a phone.
/// </summary>
public sealed record ContactSearch(string? Pattern, string? Digits)
{
    public const int MaxLength = 200;

    /// <summary>
    /// The SQL condition a row of <paramref name="alias"/> (a table with name, email and phone) meets when it matches
    /// `@pattern` and `@digits` (an empty search matches every row).
    /// </summary>
    public static string Matches(string alias) => $"""
        (@pattern::text is null
             or lower({alias}.name collate "und-x-icu") like lower(@pattern collate "und-x-icu")
             or lower({alias}.email collate "und-x-icu") like lower(@pattern collate "und-x-icu")
             or (@digits::text is not null and {alias}.phone like @digits))
        """;

    /// <summary>The arguments of a list page under <see cref="Matches"/>: the caller, the search, the keyset cursor and one row more than a page.</summary>
    public object PageArgs(CurrentUser me, long? before, int limit) =>
        new { me = me.Id, staff = me.IsStaff, pattern = Pattern, digits = Digits, before, take = limit + 1 };

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
