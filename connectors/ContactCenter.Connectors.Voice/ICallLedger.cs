namespace ContactCenter.Connectors.Voice;

/// <summary>
/// What the voice connector needs from the host, which owns storage and presence. Calls themselves are stored as
/// messages through the inbound pipeline (so the contact, lead/deal and exactly-once by CallSid are the pipeline's);
/// this covers the rest of a call's life.
/// </summary>
public interface ICallLedger
{
    /// <summary>The channel's members who are online now and have a phone, in a stable order (id), for ringing.</summary>
    Task<IReadOnlyList<CallAgent>> OnlineAgentsAsync(long channelId, CancellationToken cancellationToken);

    /// <summary>A manager picked up the call (Twilio asked the Number's url).</summary>
    Task AnsweredAsync(long channelId, string callSid, long userId, CancellationToken cancellationToken);

    /// <summary>
    /// A status callback or a Dial outcome. A final state (completed, no-answer, busy, failed, canceled) of a call nobody
    /// answered makes it missed and, the first time, creates a call-back activity. False when the call is not known.
    /// </summary>
    Task<bool> UpdateAsync(long channelId, CallUpdate update, CancellationToken cancellationToken);

    /// <summary>A finished recording: queues its download (safe to call twice for one recording).</summary>
    Task<bool> QueueRecordingAsync(long channelId, string callSid, string recordingSid, string recordingUrl, CancellationToken cancellationToken);
}

public sealed record CallAgent(long UserId, string Name, string Phone);

/// <param name="CallSid">The call as Twilio names it (the message's external id).</param>
/// <param name="Status">Twilio's CallStatus (queued, ringing, in-progress, completed, busy, no-answer, canceled, failed), or null.</param>
/// <param name="DurationSeconds">CallDuration (or DialCallDuration): the talk time.</param>
/// <param name="AnsweredBy">Twilio's AnsweredBy (machine detection: human, machine_start...), when sent.</param>
/// <param name="DialStatus">The DialCallStatus of a ring round (completed/answered means a manager talked).</param>
public sealed record CallUpdate(string CallSid, string? Status, int? DurationSeconds, string? AnsweredBy, string? DialStatus = null)
{
    public static readonly IReadOnlySet<string> Final = new HashSet<string> { "completed", "busy", "no-answer", "canceled", "failed" };

    public bool IsFinal => Status is not null && Final.Contains(Status);
}
