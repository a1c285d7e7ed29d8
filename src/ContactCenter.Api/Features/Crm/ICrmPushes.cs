namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// What the CRM pushes after commit (<see cref="CrmNotifier"/>, <c>CrmScheduler</c>) to the users it has chosen. The hub layer
/// implements it (<c>Realtime.HubPushes</c>); declaring it here keeps the dependency one way: Realtime uses Crm, never the
/// reverse.
/// </summary>
public interface ICrmPushes
{
    /// <summary>`dealUpdated`: the deal's kanban card, to the users who see the deal.</summary>
    Task DealUpdatedAsync(IReadOnlyList<long> userIds, DealCard deal);

    /// <summary>`leadUpdated`, to the users who see the lead.</summary>
    Task LeadUpdatedAsync(IReadOnlyList<long> userIds, LeadDto lead);

    /// <summary>
    /// `dealRemoved` / `leadRemoved`: the record was handed over and these users (its former assignee) no longer see it;
    /// their screens drop it instead of showing what they may no longer change.
    /// </summary>
    Task RemovedAsync(IReadOnlyList<long> userIds, bool deal, CrmRemoved removed);

    /// <summary>`activityDue`, to the activity's assignee only.</summary>
    Task ActivityDueAsync(long userId, ActivityDto activity);

    /// <summary>A message automation wrote, as `messageCreated` to the conversation's audience.</summary>
    Task MessageCreatedAsync(long messageId, CancellationToken cancellationToken);

    /// <summary>A conversation automation changed: its summary to its audience.</summary>
    Task ConversationChangedAsync(long conversationId, IReadOnlyCollection<long> formerViewers, CancellationToken cancellationToken);

    /// <summary>`countersChanged` to these users (coalesced; the values pushed are exact).</summary>
    Task PushCountersAsync(IReadOnlyCollection<long> userIds, CancellationToken cancellationToken);
}
