using System.Diagnostics;
using ContactCenter.Api.Features.Conversations;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// One read for the pushes of one inbound batch (issue #19, one fan-out per batch): each message's push needs its
/// conversation's summary, read positions and audience key as they are after the commit; the first push of the batch to
/// ask reads every conversation of the batch in one statement (<see cref="ConversationQueries.ForPushAsync(IReadOnlyCollection{long}, CancellationToken)"/>)
/// and the others take theirs from it. Only messages the router leaves alone share it: a routed conversation changed
/// after the batch and is read again after its assignment.
/// </summary>
/// <remarks>
/// A conversation's hand-over or a participant's removal does not show in the audience directory's version, so a push
/// trusts the key its read found. A push reading alone sends right after its read; a shared read serves only pushes that
/// come within <see cref="MaxAge"/> of it (the batch's pushes start together), and an older one is not used: that push
/// reads alone, so no push sends from a read much older than a push of its own would have been.
/// </remarks>
public sealed class BatchPushReads(IReadOnlyCollection<long> conversationIds, TimeSpan? maxAge = null)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(20);

    private readonly TimeSpan oldest = maxAge ?? MaxAge;

    private readonly Lock gate = new();
    private Task<(IReadOnlyDictionary<long, AudienceSummaries> Read, long At)>? read;

    /// <summary>
    /// The conversation as read after the batch's commit; null when it is gone, the shared read failed or is older than
    /// <see cref="MaxAge"/> (the push then reads it alone; a test may give another age).
    /// </summary>
    public async Task<AudienceSummaries?> GetAsync(ConversationQueries conversations, long conversationId)
    {
        Task<(IReadOnlyDictionary<long, AudienceSummaries> Read, long At)> started;
        lock (gate)
        {
            started = read ??= ReadAsync(conversations);
        }
        try
        {
            var (shared, at) = await started;
            // Real time, not the app's clock (which tests may hold still or move in jumps).
            return Stopwatch.GetElapsedTime(at) <= oldest ? shared.GetValueOrDefault(conversationId) : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    private async Task<(IReadOnlyDictionary<long, AudienceSummaries>, long)> ReadAsync(ConversationQueries conversations)
    {
        var shared = await conversations.ForPushAsync(conversationIds, CancellationToken.None);
        return (shared, Stopwatch.GetTimestamp());
    }
}
