namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// The user side of the visibility rule at one <see cref="Version"/> of the audience directory (migration 1127): the active
/// admins and supervisors, the active users, and each channel's active members. <see cref="AudienceOf"/> is
/// <see cref="ConversationQueries.Audience"/> without a query: staff, the assignee, the channel's members while the
/// conversation is unassigned, and its participants, all of them active.
/// </summary>
public sealed class AudienceSnapshot(long version, IReadOnlyCollection<long> staff, IReadOnlySet<long> active, IReadOnlyDictionary<long, long[]> members)
{
    /// <summary>An empty directory nobody has read: every check against PostgreSQL finds it stale.</summary>
    public static readonly AudienceSnapshot Unread = new(-1, [], new HashSet<long>(), new Dictionary<long, long[]>());

    public long Version => version;

    /// <summary>The conversation's audience, sorted, each user once.</summary>
    public IReadOnlyList<long> AudienceOf(ConversationAudienceKey conversation)
    {
        var audience = new HashSet<long>(staff);
        if (conversation.AssigneeId is { } assignee)
        {
            if (active.Contains(assignee))
            {
                audience.Add(assignee);
            }
        }
        else if (members.TryGetValue(conversation.ChannelId, out var channelMembers))
        {
            audience.UnionWith(channelMembers);
        }
        foreach (var participant in conversation.Participants)
        {
            if (active.Contains(participant))
            {
                audience.Add(participant);
            }
        }
        var sorted = audience.ToList();
        sorted.Sort();
        return sorted;
    }
}
