namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// The rules of a conversation's status, in one place and without SQL or a clock (the time is passed in): people set it
/// open, pending or resolved; snoozed is set only by a snooze, which ends at its time, when the customer writes, or when a
/// person sets a status. A resolution counts (response times, the CSAT survey) once, when it comes from another status.
/// A resolved conversation is not snoozed: the snooze's conditional update holds that rule, so a resolve that commits
/// between a read and a write cannot be undone by it.
/// </summary>
/// <param name="Status">open, pending, snoozed or resolved.</param>
public sealed record ConversationLifecycle(string Status)
{
    /// <summary>The statuses a person sets directly; null when allowed, else why not.</summary>
    public static string? CheckStatusRequest(string? status) =>
        status is "open" or "pending" or "resolved" ? null : "Status must be open, pending or resolved.";

    /// <summary>Setting this status is a new resolution (recorded once: setting resolved again records nothing).</summary>
    public bool Resolves(string to) => to == "resolved" && Status != "resolved";

    /// <summary>Setting any status by hand ends a snooze (a system note says so).</summary>
    public bool EndsSnooze => Status == "snoozed";

    /// <summary>A snooze lasts until a time in the future, at most a year ahead; null when allowed, else why not.</summary>
    public static string? CheckSnoozeUntil(DateTimeOffset until, DateTimeOffset now) =>
        until <= now || until > now.AddYears(1) ? "until must be in the future and at most a year ahead." : null;
}
