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
    /// What a push needs of a conversation, in ONE statement (one snapshot): its summary, every user's read position in
    /// it (so any audience's unread counts follow without a second read), and what its audience is made of now: its
    /// <see cref="ConversationAudienceKey"/> and the audience directory's version (migration 1127). The caller computes
    /// the audience from its own copy of the directory and uses it only when the version matches, so a push reaches
    /// exactly who may see it at that snapshot without a query for the audience. Null when the conversation is gone.
    /// </summary>
    /// <remarks>
    /// One statement, not four (summary, the asked users' reads, key, version): the four were 7 statements per inbound
    /// message in the ingest profile, and the first push of a conversation this node had not seen read them twice (the
    /// users to ask came from the key the first read returned). The reads by conversation use migration 1141's index.
    /// A generic plan: one conversation by id, and the planner spent 1.6 ms per inbound message planning the summary
    /// afresh for 0.2 ms of execution (bench, 2026-12-03).
    /// </remarks>
    public async Task<AudienceSummaries?> ForPushAsync(long conversationId, CancellationToken ct) =>
        (await ForPushAsync([conversationId], ct)).GetValueOrDefault(conversationId);

    /// <summary>
    /// <see cref="ForPushAsync(long, CancellationToken)"/> for several conversations in the same statement (the messages
    /// of one inbound batch); a conversation that is gone has no entry.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, AudienceSummaries>> ForPushAsync(IReadOnlyCollection<long> conversationIds, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PushRow>(new CommandDefinition(ForPushSql, new { ids = conversationIds.Distinct().ToArray() }, cancellationToken: ct));
        var read = new Dictionary<long, AudienceSummaries>();
        foreach (var row in rows)
        {
            var reads = new Dictionary<long, long>(row.ReadUsers?.Length ?? 0);
            for (var i = 0; i < (row.ReadUsers?.Length ?? 0); i++)
            {
                reads[row.ReadUsers![i]] = row.ReadCounts![i];
            }
            read[row.Id] = new AudienceSummaries(row.ToSummary(), reads, new ConversationAudienceKey(row.KeyChannelId, row.KeyAssigneeId, row.Participants),
                row.DirectoryVersion ?? -1);
        }
        return read;
    }

    private static readonly string ForPushSql = $"""
        {Database.DatabaseExtensions.GenericPlan}select 0::bigint as me, {Columns("c.inbound_count")},
            c.channel_id as key_channel_id, c.assignee_id as key_assignee_id,
            {ParticipantsColumn},
            rd.read_users, rd.read_counts,
            (select version from audience_directory) as directory_version
        from conversations c
        {SharedJoins}
        left join lateral (
            select array_agg(r.user_id) as read_users, array_agg(r.read_inbound_count) as read_counts
            from conversation_reads r where r.conversation_id = c.id
        ) rd on true
        where c.id = any(@ids)
        """;

    /// <summary>
    /// The conversation's audience key and the audience directory's version now, in one statement: an index lookup, where
    /// <see cref="Audience"/> tests every active user. Null key: the conversation is gone.
    /// </summary>
    public async Task<(ConversationAudienceKey? Key, long DirectoryVersion)> AudienceKeyAsync(long conversationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var key = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(AudienceKeySql, new { conversationId }, cancellationToken: ct));
        return (key is null ? null : new ConversationAudienceKey(key.ChannelId, key.AssigneeId, key.Participants), key?.DirectoryVersion ?? -1);
    }

    /// <summary>The conversation's participants, sorted: part of its audience key, read the same way by both reads of it.</summary>
    private const string ParticipantsColumn = "array(select cp.user_id from conversation_participants cp where cp.conversation_id = c.id order by cp.user_id) as participants";

    private const string AudienceKeySql = $"""
        select c.channel_id, c.assignee_id,
            {ParticipantsColumn},
            (select version from audience_directory) as directory_version
        from conversations c where c.id = @conversationId
        """;

    private sealed class PushRow : SummaryRow
    {
        // The key from the conversation's own columns, not the summary's joined ones (its assignee comes from a left join of users).
        public long KeyChannelId { get; init; }
        public long? KeyAssigneeId { get; init; }
        public long[] Participants { get; init; } = [];
        public long[]? ReadUsers { get; init; }
        public long[]? ReadCounts { get; init; }
        public long? DirectoryVersion { get; init; }
    }

    private sealed class KeyRow
    {
        public long ChannelId { get; init; }
        public long? AssigneeId { get; init; }
        public long[] Participants { get; init; } = [];
        public long? DirectoryVersion { get; init; }
    }
}
