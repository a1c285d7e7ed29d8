using Dapper;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>Who sees a conversation (<see cref="Audience"/>) and its summary as each of them sees it, for the pushes.</summary>
public sealed partial class ConversationQueries
{
    /// <summary>
    /// The users who see a conversation (@conversationId): the rule of <see cref="Visible"/> for every active user.
    /// Tested per user on purpose: a hash semi-join over the channel's members, faster here than a union of the three
    /// sets (the union is what leads and deals use, CrmAccess).
    /// </summary>
    public const string Audience = """
        select u.id from users u join conversations c on c.id = @conversationId
        where u.is_active and (u.role in ('admin', 'supervisor') or u.id = c.assignee_id
            or (c.assignee_id is null and exists (select 1 from channel_members cm where cm.channel_id = c.channel_id and cm.user_id = u.id))
            or exists (select 1 from conversation_participants cp where cp.conversation_id = c.id and cp.user_id = u.id))
        """;

    /// <summary>
    /// The conversation's summary as each of the given users sees it (their own unread count), and in the same round trip
    /// what the audience is made of now: the conversation's <see cref="ConversationAudienceKey"/> and the audience
    /// directory's version (migration 1127). The caller computed <paramref name="userIds"/> from its own copy of both and
    /// sends only when they still match, so a push reaches exactly who may see it now without a query for the audience.
    /// The key is read after the summaries: a change that commits between them shows as a mismatch, never the reverse.
    /// </summary>
    public async Task<AudienceSummaries> SummariesCheckedAsync(long conversationId, IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        // The summary once and each asked user's read position, not one joined row per user: the per-user form repeated
        // the joins and the labels' subquery for every user (1,000 managers: 7 ms of PostgreSQL per pushed message and
        // 1,000 rows to read back, bench 2026-12-04). A generic plan: one conversation by id, and the planner spent 1.6 ms
        // per inbound message planning the summary afresh for 0.2 ms of execution (bench, 2026-12-03).
        var sql = $"""
            {Database.DatabaseExtensions.GenericPlan}select 0::bigint as me, {Columns("c.inbound_count")}
            from conversations c
            {SharedJoins}
            where c.id = @conversationId;
            select r.user_id, r.read_inbound_count from conversation_reads r where r.conversation_id = @conversationId and r.user_id = any(@userIds);
            {AudienceKeySql}
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { conversationId, userIds = userIds.ToArray() }, cancellationToken: ct));
        var row = await grid.ReadSingleOrDefaultAsync<SummaryRow>();
        var reads = (await grid.ReadAsync<(long UserId, long ReadInbound)>()).ToDictionary(r => r.UserId, r => r.ReadInbound);
        var key = await grid.ReadSingleOrDefaultAsync<KeyRow>();
        var version = await grid.ReadSingleOrDefaultAsync<long?>();
        List<(long, ConversationSummary)> summaries = [];
        if (row is not null)
        {
            // Users with the same unread count share one summary object (and one send, InboxNotifier.PushSummariesAsync).
            var inbound = row.UnreadCount;
            var unread = row.ToSummary();
            var byCount = new Dictionary<long, ConversationSummary> { [inbound] = unread };
            foreach (var user in userIds)
            {
                var count = Math.Max(inbound - reads.GetValueOrDefault(user), 0);
                if (!byCount.TryGetValue(count, out var summary))
                {
                    byCount[count] = summary = unread with { UnreadCount = count };
                }
                summaries.Add((user, summary));
            }
        }
        return new AudienceSummaries(
            summaries,
            key is null ? null : new ConversationAudienceKey(key.ChannelId, key.AssigneeId, key.Participants),
            version ?? -1);
    }

    /// <summary>
    /// The conversation's audience key and the audience directory's version now, in one round trip: an index lookup, where
    /// <see cref="Audience"/> tests every active user. Null key: the conversation is gone.
    /// </summary>
    public async Task<(ConversationAudienceKey? Key, long DirectoryVersion)> AudienceKeyAsync(long conversationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(AudienceKeySql, new { conversationId }, cancellationToken: ct));
        var key = await grid.ReadSingleOrDefaultAsync<KeyRow>();
        var version = await grid.ReadSingleOrDefaultAsync<long?>();
        return (key is null ? null : new ConversationAudienceKey(key.ChannelId, key.AssigneeId, key.Participants), version ?? -1);
    }

    private const string AudienceKeySql = """
        select c.channel_id, c.assignee_id,
            array(select cp.user_id from conversation_participants cp where cp.conversation_id = c.id order by cp.user_id) as participants
        from conversations c where c.id = @conversationId;
        select version from audience_directory;
        """;

    private sealed class KeyRow
    {
        public long ChannelId { get; init; }
        public long? AssigneeId { get; init; }
        public long[] Participants { get; init; } = [];
    }
}
