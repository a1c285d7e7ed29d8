using ContactCenter.Api.Realtime;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Labels;

/// <summary>
/// After a label change commits, pushes `conversationUpdated` (whose summary carries the labels) to everyone who sees
/// each changed conversation — the same audience and path as any other conversation change.
/// </summary>
public sealed class LabelPushes(NpgsqlDataSource db, InboxNotifier inbox, ILogger<LabelPushes> logger)
{
    /// <summary>
    /// A renamed, recoloured or deleted label changes many summaries at once: the most recently active ones are pushed
    /// (what open lists show); older ones are right on the next read.
    /// </summary>
    public const int MaxPushes = 500;

    public async Task LabelChangedAsync(long labelId, CancellationToken ct)
    {
        List<long> ids;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            ids = (await connection.QueryAsync<long>(new CommandDefinition("""
                select c.id from conversation_labels cl join conversations c on c.id = cl.conversation_id
                where cl.label_id = @labelId order by c.last_activity_at desc, c.id desc limit @take
                """, new { labelId, take = MaxPushes }, cancellationToken: ct))).ToList();
        }
        await ConversationsChangedAsync(ids, ct);
    }

    /// <summary>A failed push is logged, never thrown: the change is committed and clients re-read through REST.</summary>
    public async Task ConversationsChangedAsync(IEnumerable<long> conversationIds, CancellationToken ct)
    {
        foreach (var id in conversationIds.Distinct().Take(MaxPushes))
        {
            try
            {
                await inbox.ConversationChangedAsync(id, [], ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Pushing the labels of conversation {ConversationId} failed", id);
            }
        }
    }
}
