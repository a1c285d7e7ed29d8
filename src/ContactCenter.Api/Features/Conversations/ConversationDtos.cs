using ContactCenter.Api.Features.Labels;

namespace ContactCenter.Api.Features.Conversations;

public sealed record LastMessage(long Id, string Direction, string Preview, DateTimeOffset CreatedAt);

public sealed record ConversationSummary(
    long Id, ChannelRef Channel, ContactRef Contact, string Status, UserRef? Assignee, long UnreadCount,
    LastMessage? LastMessage, DateTimeOffset? WaitingSince, long? LeadId, long? DealId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>When a `snoozed` conversation opens again by itself (null unless snoozed).</summary>
    public DateTimeOffset? SnoozedUntil { get; init; }
    public LabelList Labels { get; init; } = LabelList.Empty;
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

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>`call` for a phone call (then <see cref="Call"/> is set), null for any other message.</summary>
    public string? Kind => Call is null ? null : "call";

    public Calls.CallDto? Call => Calls.CallInfo.Read(Metadata);
}

public sealed record Counters(
    long UnreadConversations, long UnreadMessages, long Mine, long Unassigned,
    long OverdueActivities, long ActivitiesDueToday, long DealsWithoutActivity);
