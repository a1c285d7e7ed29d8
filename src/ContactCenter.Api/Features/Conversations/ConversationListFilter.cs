using System.Globalization;
using System.Text;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Dapper;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// The inbox list's optional filters and its sort order, as SQL pieces for <see cref="ConversationQueries.ListAsync"/>:
/// conditions (parameters prefixed `f`), the keyset condition after a cursor, and the ORDER BY. Every sort pages by a
/// keyset; its cursor names the sort, so a cursor of one order is refused (400) by another.
/// </summary>
/// <param name="Sort">`newest` (last activity, newest first), `oldest`, or `waiting` (the oldest unanswered customer first, answered ones last).</param>
/// <param name="AssigneeId">Only this user's conversations; with <paramref name="Unassigned"/> only those nobody has.</param>
/// <param name="From">Last activity at or after.</param>
/// <param name="To">Last activity at or before.</param>
public sealed record ConversationListFilter(
    string Sort = "newest", long? AssigneeId = null, bool Unassigned = false, DateTimeOffset? From = null, DateTimeOffset? To = null, bool Unread = false)
{
    public static readonly ConversationListFilter Default = new();

    public static readonly string[] Sorts = ["newest", "oldest", "waiting"];

    /// <summary>
    /// Reads the query string's filters, adding a field error for each bad one. A manager may ask only for their own
    /// conversations or the unassigned ones (they never see a colleague's anyway, so anything else is a mistake: 400).
    /// A date-only `to` covers its whole (UTC) day.
    /// </summary>
    public static ConversationListFilter FromQuery(CurrentUser me, string? sort, string? assigneeId, string? from, string? to, bool? unread, Validation errors)
    {
        errors.Require(nameof(sort), sort is null || Sorts.Contains(sort), "Sort must be newest, oldest or waiting.");
        long? assignee = null;
        var unassigned = assigneeId == "unassigned";
        if (!unassigned && !string.IsNullOrEmpty(assigneeId))
        {
            if (!long.TryParse(assigneeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                errors.Add(nameof(assigneeId), "assigneeId must be a user id or 'unassigned'.");
            }
            else if (!me.IsStaff && id != me.Id)
            {
                errors.Add(nameof(assigneeId), "A manager may filter by their own id or 'unassigned' only.");
            }
            else
            {
                assignee = id;
            }
        }
        var fromAt = ParseInstant(nameof(from), from, endOfDay: false, errors);
        var toAt = ParseInstant(nameof(to), to, endOfDay: true, errors);
        errors.Require(nameof(from), fromAt is null || toAt is null || fromAt <= toAt, "from must not be after to.");
        return new ConversationListFilter(sort ?? "newest", assignee, unassigned, fromAt, toAt, unread ?? false);
    }

    private static DateTimeOffset? ParseInstant(string field, string? value, bool endOfDay, Validation errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        // Years bounded as the CRM lists' dates are: the end of 9999-12-31 (a day later) does not exist, and was a 500.
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is > 1 and < 9999)
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1).AddTicks(-10) : start;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            && at.Year is > 1 and < 9999)
        {
            return at;
        }
        errors.Add(field, $"{field} must be an ISO 8601 date or date-time, e.g. 2026-12-01 or 2026-12-01T09:00:00Z.");
        return null;
    }

    /// <summary>The keyset position after a row: its sort key (null for an answered conversation in `waiting`) and id.</summary>
    public sealed record Position(DateTimeOffset? At, long Id);

    public string Conditions
    {
        get
        {
            var sql = new StringBuilder();
            if (Unassigned)
            {
                sql.Append(" and c.assignee_id is null");
            }
            else if (AssigneeId is not null)
            {
                sql.Append(" and c.assignee_id = @fAssigneeId");
            }
            if (From is not null)
            {
                sql.Append(" and c.last_activity_at >= @fFrom");
            }
            if (To is not null)
            {
                sql.Append(" and c.last_activity_at <= @fTo");
            }
            if (Unread)
            {
                // conversation_reads `r` is the caller's row (ConversationQueries' joins).
                sql.Append(" and c.inbound_count > coalesce(r.read_inbound_count, 0)");
            }
            return sql.ToString();
        }
    }

    /// <summary>
    /// Rows after the cursor. `waiting` reads an answered conversation's missing wait as infinity, so one row comparison
    /// walks the waiting ones and then the answered ones (the expression index conversations_waiting_sort_idx).
    /// </summary>
    public string After => Sort switch
    {
        "oldest" => " and (c.last_activity_at, c.id) > (@fAt, @fId)",
        "waiting" => " and (coalesce(c.waiting_since, 'infinity'::timestamptz), c.id) > (coalesce(@fAt::timestamptz, 'infinity'::timestamptz), @fId)",
        _ => " and (c.last_activity_at, c.id) < (@fAt, @fId)",
    };

    public string OrderBy => Sort switch
    {
        "oldest" => " order by c.last_activity_at, c.id",
        "waiting" => " order by coalesce(c.waiting_since, 'infinity'::timestamptz), c.id",
        _ => " order by c.last_activity_at desc, c.id desc",
    };

    public void AddParameters(DynamicParameters parameters, Position? after)
    {
        parameters.Add("fAssigneeId", AssigneeId);
        parameters.Add("fFrom", From?.UtcDateTime);
        parameters.Add("fTo", To?.UtcDateTime);
        parameters.Add("fAt", after?.At?.UtcDateTime);
        parameters.Add("fId", after?.Id ?? 0);
    }

    /// <summary>The position of a listed row in this sort.</summary>
    internal Position PositionOf(ConversationQueries.SummaryRow row) =>
        new(Sort == "waiting" ? row.WaitingSince : row.LastActivityAt, row.Id);

    /// <summary>`newest` keeps the format cursors had before sorts existed (`ticks:id`); the others say their sort first.</summary>
    public string EncodeCursor(Position p) => Sort == "newest"
        ? ConversationQueries.EncodeCursor(p.At!.Value, p.Id)
        : Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{Sort}:{(p.At is { } at ? at.UtcTicks.ToString(CultureInfo.InvariantCulture) : "-")}:{p.Id.ToString(CultureInfo.InvariantCulture)}"));

    public Position? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
        }
        catch (FormatException)
        {
            throw new BadHttpRequestException("The cursor is not valid.");
        }
        var sort = parts.Length == 2 ? "newest" : parts[0];
        if (parts.Length is not (2 or 3) || !Sorts.Contains(sort))
        {
            throw new BadHttpRequestException("The cursor is not valid.");
        }
        if (sort != Sort)
        {
            throw new BadHttpRequestException($"The cursor belongs to the '{sort}' order, not '{Sort}': start again without it.");
        }
        if (sort == "newest")
        {
            var (at, id) = ConversationQueries.DecodeCursor(cursor);
            return new Position(at, id);
        }
        try
        {
            DateTimeOffset? at = parts[1] == "-" && sort == "waiting"
                ? null
                : new DateTimeOffset(long.Parse(parts[1], CultureInfo.InvariantCulture), TimeSpan.Zero);
            return new Position(at, long.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new BadHttpRequestException("The cursor is not valid.");
        }
    }
}
