using System.Globalization;
using ContactCenter.Core;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// The one rule for a sender's clock, applied by the pipeline to every <see cref="InboundMessage"/> of every connector:
/// a timestamp is stored as UTC (PostgreSQL's timestamptz via Npgsql refuses any other offset, and an email from
/// Moscow says +0300), and a timestamp no real message can have — before <see cref="Earliest"/> or more than
/// <see cref="MaxAhead"/> past the server's clock — is replaced by the server's receive time, the sender's value
/// kept in metadata (`sentAtOriginal`). A wrong clock must neither lose the message nor make a queue show a wait of
/// two thousand years; missing is "now" too.
/// </summary>
public static class InboundTimestamps
{
    /// <summary>Nothing this system receives was written before this (a year-1 or 1970 date is a broken clock or header).</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Clocks drift and time zones get mislabelled; a day ahead is tolerated, more is not believed.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(1);

    public const string OriginalKey = "sentAtOriginal";

    /// <summary>The message with <see cref="InboundMessage.SentAt"/> in UTC within the sane window (now when outside or missing).</summary>
    public static InboundMessage Normalize(InboundMessage message, DateTimeOffset now)
    {
        if (message.SentAt is not { } sentAt)
        {
            return message with { SentAt = now.ToUniversalTime() };
        }
        if (Sane(sentAt, now))
        {
            return sentAt.Offset == TimeSpan.Zero ? message : message with { SentAt = sentAt.ToUniversalTime() };
        }
        var metadata = new Dictionary<string, string>(message.Metadata ?? new Dictionary<string, string>())
        {
            [OriginalKey] = sentAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        };
        return message with { SentAt = now.ToUniversalTime(), Metadata = metadata };
    }

    /// <summary>A sender's timestamp in UTC, or null when it is outside the sane window (the caller then uses its own clock).</summary>
    public static DateTimeOffset? Utc(DateTimeOffset? at, DateTimeOffset now) =>
        at is { } value && Sane(value, now) ? value.ToUniversalTime() : null;

    private static bool Sane(DateTimeOffset at, DateTimeOffset now) =>
        at >= Earliest && at - now <= MaxAhead;
}
