using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Imports;
using ContactCenter.Api.Features.Notifications;
using ContactCenter.Api.Features.Routing;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// The push ports the features declare (CRM, routing, notifications, imports), sent through the typed hub to the groups of
/// <see cref="HubGroups"/>; what concerns a conversation goes through <see cref="InboxNotifier"/>. The features choose the
/// users (each by its own visibility rule), this class only addresses them.
/// </summary>
public sealed class HubPushes(IHubContext<InboxHub, IInboxClient> hub, InboxNotifier inbox)
    : ICrmPushes, IRoutingPushes, INotificationPushes, IImportPushes
{
    public Task DealUpdatedAsync(IReadOnlyList<long> userIds, DealCard deal) => hub.Clients.Groups(Users(userIds)).dealUpdated(deal);

    public Task LeadUpdatedAsync(IReadOnlyList<long> userIds, LeadDto lead) => hub.Clients.Groups(Users(userIds)).leadUpdated(lead);

    public Task RemovedAsync(IReadOnlyList<long> userIds, bool deal, CrmRemoved removed) => deal
        ? hub.Clients.Groups(Users(userIds)).dealRemoved(removed)
        : hub.Clients.Groups(Users(userIds)).leadRemoved(removed);

    public Task ActivityDueAsync(long userId, ActivityDto activity) => hub.Clients.Group(HubGroups.User(userId)).activityDue(activity);

    public Task MessageCreatedAsync(long messageId, CancellationToken cancellationToken) => inbox.MessageCreatedAsync(messageId, cancellationToken);

    public Task ConversationChangedAsync(long conversationId, IReadOnlyCollection<long> formerViewers, CancellationToken cancellationToken) =>
        inbox.ConversationChangedAsync(conversationId, formerViewers, cancellationToken);

    public Task PushCountersAsync(IReadOnlyCollection<long> userIds, CancellationToken cancellationToken) =>
        inbox.PushCountersAsync(userIds, cancellationToken);

    public Task<IReadOnlyList<long>> AudienceAsync(long conversationId, CancellationToken cancellationToken) =>
        inbox.AudienceAsync(conversationId, cancellationToken);

    public Task QueueChangedAsync(QueueStats queue) => hub.Clients.Group(HubGroups.Staff).queueChanged(queue);

    public Task SlaBreachedAsync(SlaBreach breach) => hub.Clients.Group(HubGroups.Staff).slaBreached(breach);

    public Task NotificationAsync(long userId, NotificationItem notification) =>
        hub.Clients.Group(HubGroups.User(userId)).notification(notification);

    public Task NotificationsReadAsync(long userId, NotificationsRead read) => hub.Clients.Group(HubGroups.User(userId)).notificationsRead(read);

    public Task ImportProgressAsync(long userId, ImportProgress progress) => hub.Clients.Group(HubGroups.User(userId)).importProgress(progress);

    private static List<string> Users(IReadOnlyList<long> userIds) => userIds.Select(HubGroups.User).ToList();
}
