using ContactCenter.Api.Features.Conversations;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// This node's copy of who may see what (issue #19), so a push does not ask PostgreSQL for its audience: the audience
/// directory (staff, active users, channel members) at one version. Nothing is trusted blindly: the statement that reads
/// a conversation for a push also reads its <see cref="ConversationAudienceKey"/> and the directory's version as they are
/// at that snapshot (<see cref="ConversationQueries.ForPushAsync(long, CancellationToken)"/>); when the version differs from the copy's, the copy
/// is brought up to date and the read repeated, so each push goes to exactly the users the SQL rule
/// (<see cref="ConversationQueries.Audience"/>) names, on every node, whoever made the change. A backplane resync drops the copy.
/// </summary>
public sealed class AudienceDirectory(NpgsqlDataSource db, ConversationQueries conversations)
{
    private const int Attempts = 4;

    private readonly SemaphoreSlim reloading = new(1, 1);
    private volatile AudienceSnapshot snapshot = AudienceSnapshot.Unread;

    /// <summary>The directory as this node holds it now.</summary>
    public AudienceSnapshot Current => snapshot;

    /// <summary>
    /// The conversation's audience now and its summary as each of them sees it. An empty audience with no summaries
    /// when the conversation is gone.
    /// </summary>
    /// <param name="only">When given, the summaries of only those of them who are in the audience now (the reader of a
    /// read: one who lost the conversation meanwhile gets nothing).</param>
    /// <param name="read">The conversation as already read after the change (an inbound batch reads all of its
    /// conversations in one statement): used for the first attempt instead of reading it again.</param>
    public async Task<(IReadOnlyList<long> Audience, IReadOnlyList<(long UserId, ConversationSummary Summary)> Summaries)> SummariesAsync(
        long conversationId, CancellationToken ct, IReadOnlyCollection<long>? only = null, AudienceSummaries? read = null)
    {
        IReadOnlyList<long> Asked(IReadOnlyList<long> audience) => only is null ? audience : audience.Where(only.Contains).ToList();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (attempt > 0 || read is null)
            {
                read = await conversations.ForPushAsync(conversationId, ct);
            }
            if (read is null)
            {
                return ([], []);
            }
            // Versions only grow: a copy newer than the read needs a fresh read, not a reload.
            if (read.DirectoryVersion > snapshot.Version)
            {
                await ReloadAsync(read.DirectoryVersion, ct);
            }
            // Reloaded to exactly the version of the read (not a newer one that committed since): the audience is that snapshot's.
            var directory = snapshot;
            if (directory.Version == read.DirectoryVersion)
            {
                var audience = directory.AudienceOf(read.Key);
                return (audience, read.For(Asked(audience)));
            }
        }
        // The directory kept changing under this push: take the audience from PostgreSQL itself this once.
        var exact = await ExactAudienceAsync(conversationId, ct);
        return await conversations.ForPushAsync(conversationId, ct) is { } last ? (exact, last.For(Asked(exact))) : ([], []);
    }

    private async Task<IReadOnlyList<long>> ExactAudienceAsync(long conversationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<long>(new CommandDefinition(ConversationQueries.Audience, new { conversationId }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// The conversation's audience now, from the copy, checked by one index lookup (the conversation's key and the
    /// directory's version) instead of the SQL rule over every user. Empty when the conversation is gone.
    /// </summary>
    public async Task<IReadOnlyList<long>> AudienceAsync(long conversationId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (key, version) = await conversations.AudienceKeyAsync(conversationId, ct);
            if (key is null)
            {
                return [];
            }
            var directory = snapshot;
            if (version == directory.Version)
            {
                return directory.AudienceOf(key);
            }
            await ReloadAsync(version, ct);
            var reloaded = snapshot;
            if (reloaded.Version == version)
            {
                return reloaded.AudienceOf(key);
            }
        }
        return await ExactAudienceAsync(conversationId, ct);
    }

    /// <summary>Forget everything (the backplane was away): the next push reloads what it needs.</summary>
    public void Clear() => snapshot = AudienceSnapshot.Unread;

    private async Task ReloadAsync(long seenVersion, CancellationToken ct)
    {
        await reloading.WaitAsync(ct);
        try
        {
            if (snapshot.Version >= seenVersion)
            {
                return; // another push reloaded it meanwhile (versions only grow)
            }
            snapshot = await LoadAsync(ct);
        }
        finally
        {
            reloading.Release();
        }
    }

    /// <summary>The directory's version in PostgreSQL now (after a change that committed: at least the version it made).</summary>
    public async Task<long?> VersionAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition("select version from audience_directory", cancellationToken: ct));
    }

    // The version is read first: the rows read after it are at least that new, so a copy is never older than its version
    // says (a change committing in between makes the next check reload once more).
    private const string Load = """
        select version from audience_directory;
        select id, role from users where is_active;
        select cm.channel_id, cm.user_id from channel_members cm join users u on u.id = cm.user_id where u.is_active;
        """;

    private async Task<AudienceSnapshot> LoadAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(Load, cancellationToken: ct));
        var version = await grid.ReadSingleOrDefaultAsync<long?>() ?? -1;
        var users = (await grid.ReadAsync<(long Id, string Role)>()).ToList();
        var members = (await grid.ReadAsync<(long ChannelId, long UserId)>())
            .GroupBy(m => m.ChannelId)
            .ToDictionary(g => g.Key, g => g.Select(m => m.UserId).ToArray());
        return new AudienceSnapshot(
            version,
            users.Where(u => u.Role is "admin" or "supervisor").Select(u => u.Id).ToList(),
            users.Select(u => u.Id).ToHashSet(),
            members);
    }
}
