namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// The version of a counters read: its PostgreSQL snapshot (the first unassigned transaction id, then how few were
/// still in progress) and the clock it judged "overdue" and "today" by, as one fixed-width string. Snapshots taken
/// later have a greater or equal horizon, and with an equal horizon fewer transactions in progress, so comparing the
/// strings orders reads by what they saw: the greater one saw every commit the lesser one did.
/// </summary>
public static class CountersVersion
{
    /// <summary>Characters in a version: 16 digits of horizon, 6 of (999,999 - in progress), 13 of Unix milliseconds.</summary>
    public const int Length = 35;

    private const int ClockDigits = 13;

    public static string Of(long xmax, long inProgress, DateTimeOffset now) =>
        $"{xmax:D16}{999_999 - Math.Min(inProgress, 999_999):D6}{Math.Max(0, now.ToUnixTimeMilliseconds()):D13}";

    public static int Compare(string a, string b) => string.CompareOrdinal(a, b);

    /// <summary>
    /// Whether <paramref name="read"/> judged time by a later clock than <paramref name="stored"/> though its snapshot is
    /// older: what it counted as overdue or due today may be newer than what the stored read counted.
    /// </summary>
    public static bool ClockIsLater(string read, string stored) =>
        read.Length == Length && stored.Length == Length
        && string.CompareOrdinal(read, Length - ClockDigits, stored, Length - ClockDigits, ClockDigits) > 0;
}
