namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// What decides who may see one conversation besides the users themselves: its channel, its assignee and its
/// participants (users @mentioned into it, sorted). Equal keys mean equal audiences under the same
/// <see cref="AudienceSnapshot"/>.
/// </summary>
public sealed record ConversationAudienceKey(long ChannelId, long? AssigneeId, long[] Participants)
{
    public bool Equals(ConversationAudienceKey? other) =>
        other is not null && ChannelId == other.ChannelId && AssigneeId == other.AssigneeId && Participants.AsSpan().SequenceEqual(other.Participants);

    public override int GetHashCode() => HashCode.Combine(ChannelId, AssigneeId, Participants.Length);
}
