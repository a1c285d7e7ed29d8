using ContactCenter.Api.Features.Conversations;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// One read for the pushes of one inbound batch (issue #19, one fan-out per batch): each message's push needs its
/// conversation's summary, read positions and audience key as they are after the commit; the first push of the batch to
/// ask reads every conversation of the batch in one statement (<see cref="ConversationQueries.ForPushAsync(IReadOnlyCollection{long}, CancellationToken)"/>)
/// and the others take theirs from it. Only messages the router leaves alone share it: a routed conversation changed
/// after the batch and is read again after its assignment.
/// </summary>
public sealed class BatchPushReads(IReadOnlyCollection<long> conversationIds)
{
    private readonly Lock gate = new();
    private Task<IReadOnlyDictionary<long, AudienceSummaries>>? read;

    /// <summary>The conversation as read after the batch's commit; null when it is gone or the shared read failed (the push reads it alone).</summary>
    public async Task<AudienceSummaries?> GetAsync(ConversationQueries conversations, long conversationId)
    {
        Task<IReadOnlyDictionary<long, AudienceSummaries>> started;
        lock (gate)
        {
            started = read ??= conversations.ForPushAsync(conversationIds, CancellationToken.None);
        }
        try
        {
            return (await started).GetValueOrDefault(conversationId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }
}
