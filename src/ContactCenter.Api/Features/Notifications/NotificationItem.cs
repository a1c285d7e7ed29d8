namespace ContactCenter.Api.Features.Notifications;

/// <summary>One notice in a user's notification centre, as listed by REST and pushed as the hub event `notification`.</summary>
/// <param name="Kind">One of <see cref="NotificationKinds.All"/>.</param>
public sealed record NotificationItem(
    long Id, string Kind, string Text, long? ConversationId, long? DealId, long? ActivityId, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    /// <summary>The lead an automation notice is about (a lead has no dealId); omitted otherwise.</summary>
    public long? LeadId { get; init; }

    /// <summary>
    /// The facts <see cref="Text"/> is made of, for a client that words the notice in its user's language and time zone;
    /// null for kinds without any (automation: its text is the rule author's) and for notices stored before it existed.
    /// </summary>
    public NotificationData? Data { get; init; }
}

/// <summary>The structured side of a notice; each kind sets its own members and leaves the rest null.</summary>
public sealed record NotificationData
{
    /// <summary>activity_due, activity_overdue: the activity's title.</summary>
    public string? Title { get; init; }

    /// <summary>activity_due, activity_overdue: the activity's due time.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>assigned, mention, sla_breach: the contact's name, else email, else phone, else `#id`.</summary>
    public string? Contact { get; init; }

    /// <summary>assigned, sla_breach: the conversation's channel name.</summary>
    public string? Channel { get; init; }

    /// <summary>assigned: the colleague who assigned (null: routing); mention: the note's author.</summary>
    public string? By { get; init; }

    /// <summary>mention: the note's text (its first 200 characters).</summary>
    public string? Preview { get; init; }

    /// <summary>sla_breach: `first_response` or `reply`.</summary>
    public string? Sla { get; init; }

    /// <summary>sla_breach: how long the customer had waited.</summary>
    public long? WaitedMinutes { get; init; }

    /// <summary>sla_breach: the conversation's assignee (null: unassigned).</summary>
    public string? Assignee { get; init; }
}

/// <summary>
/// Hub event `notificationsRead`, to the reader's own devices only: these notices (or all of them) were marked read;
/// <paramref name="Unread"/> is the count left, so every open bell shows the same number.
/// </summary>
public sealed record NotificationsRead(IReadOnlyList<long> Ids, bool All, long Unread);

/// <summary>What to tell one user. <paramref name="DedupeKey"/> names the event: the same (user, kind, key) is stored once.</summary>
public sealed record NotificationDraft(long UserId, string Kind, string Text, string DedupeKey,
    long? ConversationId = null, long? DealId = null, long? LeadId = null, long? ActivityId = null, NotificationData? Data = null);

/// <summary>A notice just stored for a user, to push after the transaction commits.</summary>
public sealed record CreatedNotification(long UserId, NotificationItem Item);

public static class NotificationKinds
{
    public const string Assigned = "assigned";
    public const string Mention = "mention";
    public const string ActivityDue = "activity_due";
    public const string ActivityOverdue = "activity_overdue";
    public const string SlaBreach = "sla_breach";
    public const string Automation = "automation";

    public static readonly string[] All = [Assigned, Mention, ActivityDue, ActivityOverdue, SlaBreach, Automation];
}
