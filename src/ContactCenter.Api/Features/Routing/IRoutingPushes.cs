namespace ContactCenter.Api.Features.Routing;

/// <summary>
/// What routing pushes after commit: the conversations it assigns, and the queue and SLA events of admins and supervisors.
/// The hub layer implements it (<c>Realtime.HubPushes</c>); declaring it here keeps the dependency one way: Realtime
/// uses Routing, never the reverse.
/// </summary>
public interface IRoutingPushes
{
    /// <summary>Who may see the conversation now (read before an assignment, to tell former viewers to drop it after).</summary>
    Task<IReadOnlyList<long>> AudienceAsync(long conversationId, CancellationToken cancellationToken);

    /// <summary>After an assignment. Former viewers who lost access are told to drop it.</summary>
    Task ConversationChangedAsync(long conversationId, IReadOnlyCollection<long> formerViewers, CancellationToken cancellationToken);

    /// <summary>`queueChanged`, to admins and supervisors.</summary>
    Task QueueChangedAsync(QueueStats queue);

    /// <summary>`slaBreached`, to admins and supervisors.</summary>
    Task SlaBreachedAsync(SlaBreach breach);
}
