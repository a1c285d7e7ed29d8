using System.Globalization;
using System.Text;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The order of a list view (`sort=amount`, `sort=-amount` or `sort=amount:desc`) and its keyset cursor: the last row's
/// sort value and id, so a page never skips or repeats rows while others are added. Sort columns are a fixed set (SQL
/// text comes from here, values always travel as parameters).
/// </summary>
public sealed record ListSort(string Key, string Column, bool Descending, bool IsMoney)
{
    /// <summary>
    /// Without `sort` a list keeps its first order (newest id first) and its cursor the last id seen, which the board's
    /// columns hand over to `GET /api/deals?stageId=&cursor=` to show more cards.
    /// </summary>
    public const string Default = "-id";

    /// <summary>The allowed keys per entity alias: key → (SQL expression, numeric?).</summary>
    public static IReadOnlyDictionary<string, (string Column, bool Money)> Keys(string alias, bool deals) => deals
        ? new Dictionary<string, (string, bool)>
        {
            ["id"] = ($"{alias}.id", true),
            ["created"] = ($"{alias}.created_at", false),
            ["updated"] = ($"{alias}.updated_at", false),
            ["amount"] = ($"{alias}.amount", true),
            // Open deals sort as if closed at the epoch: first ascending, last descending.
            ["closed"] = ($"coalesce({alias}.closed_at, 'epoch'::timestamptz)", false),
        }
        : new Dictionary<string, (string, bool)>
        {
            ["id"] = ($"{alias}.id", true),
            ["created"] = ($"{alias}.created_at", false),
            ["updated"] = ($"{alias}.updated_at", false),
        };

    public static ListSort? Parse(string? text, string alias, bool deals)
    {
        text = string.IsNullOrEmpty(text) ? Default : text;
        var descending = text.StartsWith('-');
        var key = text.TrimStart('-');
        var colon = key.IndexOf(':');
        if (colon >= 0)
        {
            var direction = key[(colon + 1)..];
            if (direction is not ("asc" or "desc") || descending)
            {
                return null;
            }
            descending = direction == "desc";
            key = key[..colon];
        }
        return Keys(alias, deals).TryGetValue(key, out var c) ? new ListSort(key, c.Column, descending, c.Money) : null;
    }

    /// <summary>`and (key, id) < (@afterKey, @afterId)` (or `>` ascending) when there is a cursor.</summary>
    public string After(string idColumn) => $" and ({Column}, {idColumn}) {(Descending ? "<" : ">")} (@afterKey, @afterId)";

    public string OrderBy(string idColumn) => $" order by {Column} {(Descending ? "desc" : "asc")}, {idColumn} {(Descending ? "desc" : "asc")}";

    public string Cursor(object key, long id)
    {
        if (Key == "id")
        {
            return id.ToString(CultureInfo.InvariantCulture);
        }
        var value = key switch
        {
            decimal d => d.ToString(CultureInfo.InvariantCulture),
            DateTimeOffset t => t.UtcTicks.ToString(CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Key}|{value}|{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The cursor's (key, id), or null when it is not one of this sort's cursors.</summary>
    public (object Key, long Id)? ReadCursor(string cursor)
    {
        if (Key == "id")
        {
            return long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? (last, last) : null;
        }
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='))).Split('|');
            if (parts.Length != 3 || parts[0] != Key || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return null;
            }
            if (IsMoney)
            {
                return decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? (d, id) : null;
            }
            return long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks
                ? (new DateTime(ticks, DateTimeKind.Utc), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
