using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>Who saw a conversation just before a change: the users to tell to drop it if the change takes it from them.</summary>
internal static class FormerViewers
{
    /// <summary>
    /// Locks the conversation's row in <paramref name="tx"/>, then reads its audience. Read before the lock, a change
    /// that committed while this one waited for it was missed: after two quick hand-overs (A -> B by one person, back to
    /// A by another) B was never told to drop the conversation and kept showing it as theirs (found by an outside review).
    /// The audience is read on another connection, which sees everything committed before this transaction got the lock.
    /// </summary>
    public static async Task<IReadOnlyList<long>> LockAndReadAsync(
        IConversationPushes pushes, NpgsqlConnection connection, NpgsqlTransaction tx, long conversationId, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "select 1 from conversations where id = @conversationId for update", new { conversationId }, tx, cancellationToken: ct));
        return await pushes.AudienceAsync(conversationId, ct);
    }
}
