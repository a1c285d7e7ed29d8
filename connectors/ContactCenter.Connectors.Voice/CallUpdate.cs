namespace ContactCenter.Connectors.Voice;

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
