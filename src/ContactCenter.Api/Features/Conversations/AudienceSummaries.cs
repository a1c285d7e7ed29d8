namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// What <see cref="ConversationQueries.ForPushAsync(long, CancellationToken)"/> read in one statement: the conversation's summary (its unread count
/// the conversation's whole inbound count), every user's read position in it, its audience key and the audience
/// directory's version at that snapshot.
/// </summary>
public sealed record AudienceSummaries(
    ConversationSummary Summary, IReadOnlyDictionary<long, long> Reads, ConversationAudienceKey Key, long DirectoryVersion)
{
    /// <summary>The summary as each of <paramref name="userIds"/> sees it; users with the same unread count share one object (and one send).</summary>
    public IReadOnlyList<(long UserId, ConversationSummary Summary)> For(IEnumerable<long> userIds)
    {
        var inbound = Summary.UnreadCount;
        var pushed = DirectoryVersion >= 0 ? Summary with { AudienceVersion = DirectoryVersion } : Summary;
        var byCount = new Dictionary<long, ConversationSummary> { [inbound] = pushed };
        var summaries = new List<(long, ConversationSummary)>();
        foreach (var user in userIds)
        {
            var count = Math.Max(inbound - Reads.GetValueOrDefault(user), 0);
            if (!byCount.TryGetValue(count, out var summary))
            {
                byCount[count] = summary = pushed with { UnreadCount = count };
            }
            summaries.Add((user, summary));
        }
        return summaries;
    }
}
