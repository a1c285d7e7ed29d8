namespace ContactCenter.Api.Features.Canned;

/// <summary>
/// Fuzzy-ish matching for the composer's "/" popup: every word of the query must be found in the shortcut, title or
/// text, either as a substring or (shortcut and title only) as the letters in order ("thx" finds "thanks"). A user
/// has tens or hundreds of responses, so this runs in memory over what the caller sees, ranked best first.
/// </summary>
public static class CannedSearch
{
    public static IReadOnlyList<CannedResponseStore.Row> Filter(IReadOnlyList<CannedResponseStore.Row> rows, string? query)
    {
        var words = (query ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return rows;
        }
        return rows.Select(r => (Row: r, Score: Score(r, words)))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Row.Shortcut, StringComparer.OrdinalIgnoreCase)
            .Select(x => x.Row)
            .ToList();
    }

    /// <summary>0 when some word matches nowhere; otherwise the sum of each word's best match.</summary>
    public static int Score(CannedResponseStore.Row row, IReadOnlyList<string> words)
    {
        var total = 0;
        foreach (var raw in words)
        {
            var word = raw.TrimStart('/');
            if (word.Length == 0)
            {
                continue;
            }
            var best = Best(row, word);
            if (best == 0)
            {
                return 0;
            }
            total += best;
        }
        return Math.Max(total, 1);
    }

    private static int Best(CannedResponseStore.Row row, string word)
    {
        const StringComparison ignore = StringComparison.OrdinalIgnoreCase;
        var title = row.Title ?? "";
        if (row.Shortcut.Equals(word, ignore))
        {
            return 100;
        }
        if (row.Shortcut.StartsWith(word, ignore))
        {
            return 80;
        }
        if (row.Shortcut.Contains(word, ignore))
        {
            return 60;
        }
        if (title.Contains(word, ignore))
        {
            return 50;
        }
        if (row.Text.Contains(word, ignore))
        {
            return 30;
        }
        if (InOrder(row.Shortcut, word))
        {
            return 20;
        }
        return InOrder(title, word) ? 10 : 0;
    }

    /// <summary>The word's letters appear in <paramref name="haystack"/> in order, case-insensitively.</summary>
    public static bool InOrder(string haystack, string word)
    {
        var at = 0;
        foreach (var ch in word)
        {
            at = haystack.IndexOf(ch.ToString(), at, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }
            at++;
        }
        return true;
    }
}
