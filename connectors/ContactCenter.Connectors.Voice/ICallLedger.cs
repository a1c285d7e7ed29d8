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
