namespace ContactCenter.Connectors.Email;

/// <summary>`Email` configuration section: how readers behave on every email channel.</summary>
public sealed record EmailOptions
{
    /// <summary>False on nodes that should not read mailboxes (e.g. web-only nodes); they still send.</summary>
    public bool ReadMailboxes { get; init; } = true;

    /// <summary>How often each node looks for email channels it should read (new, changed, or freed by another node).</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A reading node that has not sent a heartbeat (one per scan) for this long no longer counts when mailboxes are shared out.</summary>
    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Polling interval for servers without IDLE (or with UseIdle off).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>IDLE is restarted this often (RFC 2177 servers may drop an IDLE after 30 minutes).</summary>
    public TimeSpan IdleRefresh { get; init; } = TimeSpan.FromMinutes(9);

    public bool UseIdle { get; init; } = true;

    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Messages larger than this are stored with their text and a note, without attachments.</summary>
    public long MaxMessageBytes { get; init; } = 25L * 1024 * 1024;

    /// <summary>The raw MIME kept on the message (messages.raw) up to this size; larger ones keep their headers only.</summary>
    public int MaxRawBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>On the first connection (and after a UIDVALIDITY change) mail delivered this many days back is imported.</summary>
    public int InitialImportDays { get; init; } = 14;

    /// <summary>The wait before the next try after <paramref name="failures"/> failures in a row: doubling from the base delay up to the maximum, with jitter.</summary>
    public TimeSpan ReconnectBackoff(int failures)
    {
        var ms = Math.Min(ReconnectMaxDelay.TotalMilliseconds, ReconnectBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(20, failures - 1)));
        return TimeSpan.FromMilliseconds(ms / 2 + Random.Shared.NextDouble() * ms / 2);
    }
}
