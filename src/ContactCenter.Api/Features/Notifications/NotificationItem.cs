namespace ContactCenter.Api.Features.Notifications;

/// <summary>One notice in a user's notification centre, as listed by REST and pushed as the hub event `notification`.</summary>
/// <param name="Kind">One of <see cref="NotificationKinds.All"/>.</param>
public sealed record NotificationItem(
    long Id, string Kind, string Text, long? ConversationId, long? DealId, long? ActivityId, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    /// <summary>The lead an automation notice is about (a lead has no dealId); omitted otherwise.</summary>
    public long? LeadId { get; init; }
}

/// <summary>
/// Hub event `notificationsRead`, to the reader's own devices only: these notices (or all of them) were marked read;
/// <paramref name="Unread"/> is the count left, so every open bell shows the same number.
/// </summary>
public sealed record NotificationsRead(IReadOnlyList<long> Ids, bool All, long Unread);

/// <summary>What to tell one user. <paramref name="DedupeKey"/> names the event: the same (user, kind, key) is stored once.</summary>
public sealed record NotificationDraft(long UserId, string Kind, string Text, string DedupeKey,
    long? ConversationId = null, long? DealId = null, long? LeadId = null, long? ActivityId = null);

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
