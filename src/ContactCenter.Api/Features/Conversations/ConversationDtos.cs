using ContactCenter.Api.Features.Labels;

namespace ContactCenter.Api.Features.Conversations;

public sealed record LastMessage(long Id, string Direction, string Preview, DateTimeOffset CreatedAt)
{
    /// <summary>The colleague who wrote it (a reply or a note); null for the customer's messages and the system's.</summary>
    public UserRef? Sender { get; init; }
}

public sealed record ConversationSummary(
    long Id, ChannelRef Channel, ContactRef Contact, string Status, UserRef? Assignee, long UnreadCount,
    LastMessage? LastMessage, DateTimeOffset? WaitingSince, long? LeadId, long? DealId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// Grows with every change to the conversation's own row (assignee, status, a new message...; not reads or labels):
    /// of two copies, one with a smaller revision is older, whichever push or read arrived last (migration 1131).
    /// </summary>
    public long Revision { get; init; }

    /// <summary>When a `snoozed` conversation opens again by itself (null unless snoozed).</summary>
    public DateTimeOffset? SnoozedUntil { get; init; }
    public LabelList Labels { get; init; } = LabelList.Empty;

    /// <summary>
    /// Pushes only (absent from REST answers): the version of who may see what (the audience directory: staff, active
    /// users, channel members; migration 1127) this summary was read at. A `resync` that names a version follows a change
    /// to it: a summary read at an older version was read before that change, and the client's re-read after the resync
    /// covers it, so the client drops it (a read mark's summary read just before the caller left the channel must not
    /// put the conversation back in their list).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? AudienceVersion { get; init; }
}

public sealed record ContactIdentityDto(string ChannelKind, string Address, string? DisplayName, string? Username);

public sealed record ContactDetails(long Id, string Name, string? Email, string? Phone, IReadOnlyList<ContactIdentityDto> Identities)
{
    public LabelList Labels { get; init; } = LabelList.Empty;
}

public sealed record ConversationDetails(
    long Id, ChannelRef Channel, ContactDetails Contact, string Status, UserRef? Assignee, long UnreadCount,
    LastMessage? LastMessage, DateTimeOffset? WaitingSince, long? LeadId, long? DealId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// The known contact an unverified visitor's email/phone belongs to, to merge by hand. Absent (not null) when there is
    /// none or the caller may not see that contact: its name must not leak.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public PossibleDuplicate? PossibleDuplicate { get; init; }

    /// <summary>As <see cref="ConversationSummary.Revision"/>.</summary>
    public long Revision { get; init; }

    /// <summary>
    /// The caller sees the conversation only because a colleague mentioned them in it: they read it and answer in private
    /// notes; replying to the customer, assigning, snoozing and the status are for whoever works it (403 otherwise).
    /// </summary>
    public bool Participant { get; init; }

    /// <summary>When a `snoozed` conversation opens again by itself (null unless snoozed).</summary>
    public DateTimeOffset? SnoozedUntil { get; init; }
    public LabelList Labels { get; init; } = LabelList.Empty;
}

public sealed record PossibleDuplicate(long ContactId, string Name);

public sealed record AttachmentDto(long Id, string FileName, string ContentType, long? Size, string Url);

public sealed record SenderDto(string Type, long? Id, string Name);

public sealed record MessageDto(
    long Id, long ConversationId, string Direction, string? Text, string? Html, IReadOnlyList<AttachmentDto> Attachments,
    SenderDto Sender, string Status, string? Error, string? ExternalId, DateTimeOffset CreatedAt)
{
    public long? ReplyToId { get; init; }

    /// <summary>
    /// When the customer sent it, by the provider's clock (inbound only; null when the provider gave no time). Messages
    /// are ordered as they arrived (<see cref="CreatedAt"/>); one delivered late says here when it was written.
    /// </summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>
    /// Grows with every change to the message (0 as created): of two copies of one message, the one with the greater
    /// revision is the later state, whichever push or read arrived last.
    /// </summary>
    public int Revision { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>`call` for a phone call (then <see cref="Call"/> is set), null for any other message.</summary>
    public string? Kind => Call is null ? null : "call";

    public Calls.CallDto? Call => Calls.CallInfo.Read(Metadata);
}

/// <summary>
/// The caller's counters, exact as of <see cref="Version"/>: an opaque string that orders reads (a greater one, compared
/// as strings, was read later and saw at least every change the lesser one saw). `countersChanged` carries changes
/// from one version to the next (<see cref="CountersChange"/>).
/// </summary>
public sealed record Counters(
    long UnreadConversations, long UnreadMessages, long Mine, long Unassigned,
    long OverdueActivities, long ActivitiesDueToday, long DealsWithoutActivity)
{
    public required string Version { get; init; }

    /// <summary>All zero, before any version (what a user who does not exist has).</summary>
    public static Counters Zero { get; } = new(0, 0, 0, 0, 0, 0, 0) { Version = "" };

    /// <summary>What to add to <paramref name="from"/> to get these values (the values themselves when it is null).</summary>
    public CounterDeltas Minus(Counters? from)
    {
        from ??= Zero;
        return new CounterDeltas(UnreadConversations - from.UnreadConversations, UnreadMessages - from.UnreadMessages,
            Mine - from.Mine, Unassigned - from.Unassigned, OverdueActivities - from.OverdueActivities,
            ActivitiesDueToday - from.ActivitiesDueToday, DealsWithoutActivity - from.DealsWithoutActivity);
    }
}

/// <summary>Differences of each counter (see <see cref="Counters"/>), to be added.</summary>
public sealed record CounterDeltas(
    long UnreadConversations, long UnreadMessages, long Mine, long Unassigned,
    long OverdueActivities, long ActivitiesDueToday, long DealsWithoutActivity);

/// <summary>
/// `countersChanged`: the caller's counters went from version <see cref="From"/> to <see cref="Version"/> by adding
/// <see cref="Changes"/>. A client holding exactly <see cref="From"/> adds them; one holding <see cref="Version"/> or a
/// greater version ignores the event; any other client missed a step and re-reads `GET /api/counters`. With no
/// <see cref="From"/>, <see cref="Changes"/> are the values themselves (added to zero).
/// </summary>
public sealed record CountersChange(string Version, string? From, CounterDeltas Changes);
