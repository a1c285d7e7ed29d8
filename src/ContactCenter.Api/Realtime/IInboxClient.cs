using ContactCenter.Api.Features.Conversations;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// Server-to-client events of `/hubs/inbox`. The method names are the wire names of API.md, hence camelCase.
/// Each takes one record made for clients; the OpenAPI document describes every one (<c>HubPayloadsTransformer</c>).
/// </summary>
#pragma warning disable IDE1006 // Naming: these are wire names.
public interface IInboxClient
{
    Task messageCreated(MessageDto message);

    Task messageUpdated(MessageDto message);

    Task conversationUpdated(ConversationSummary conversation);

    /// <summary>The caller can no longer see the conversation (reassigned away): drop it from lists; `assignee` says to whom.</summary>
    Task conversationRemoved(ConversationRef conversation);

    /// <summary>The caller's counters moved one step on their chain (see <see cref="CountersChange"/>); sent to that user only.</summary>
    Task countersChanged(CountersChange change);

    Task typing(TypingEvent typing);

    /// <summary>An activity of the user's became due (CRM scheduler); sent to its assignee only.</summary>
    Task activityDue(Features.Crm.ActivityDto activity);

    /// <summary>The waiting queue, who is online and the SLA breaches changed; sent to admins and supervisors.</summary>
    Task queueChanged(Features.Routing.QueueStats queue);

    /// <summary>A conversation went past its SLA target; sent to admins and supervisors.</summary>
    Task slaBreached(Features.Routing.SlaBreach breach);

    /// <summary>A deal the user sees was created or changed (CRM): its kanban card.</summary>
    Task dealUpdated(Features.Crm.DealCard deal);

    /// <summary>A lead the user sees was created or changed (CRM).</summary>
    Task leadUpdated(Features.Crm.LeadDto lead);

    /// <summary>A new item of the user's notification centre (the same record `GET /api/notifications` lists); sent to that user only.</summary>
    Task notification(Features.Notifications.NotificationItem notification);

    /// <summary>Progress of the user's CSV import (issue #17); sent to the importing user only.</summary>
    Task importProgress(Features.Imports.ImportProgress progress);

    /// <summary>The user marked notices read on one device: the others update their bell; sent to that user only.</summary>
    Task notificationsRead(Features.Notifications.NotificationsRead read);

    /// <summary>A deal the caller saw was handed to a colleague and is out of their sight now.</summary>
    Task dealRemoved(Features.Crm.CrmRemoved deal);

    /// <summary>A lead the caller saw was handed to a colleague and is out of their sight now.</summary>
    Task leadRemoved(Features.Crm.CrmRemoved lead);

    /// <summary>Something may have been missed (e.g. the backplane was away): re-read through REST.</summary>
    Task resync(ResyncEvent resync);
}
#pragma warning restore IDE1006

public sealed record ConversationRef(long Id, UserRef? Assignee = null)
{
    /// <summary>
    /// The conversation's revision when it was removed (read after the change committed): a `conversationUpdated` of a
    /// smaller revision was read before the removal and must not show the conversation again.
    /// </summary>
    public long Revision { get; init; }
}

/// <param name="UserId">The manager who types; 0 when the customer types (<see cref="Customer"/>).</param>
public sealed record TypingEvent(long ConversationId, long UserId, string Name)
{
    /// <summary>The customer is typing (a web chat visitor), not a colleague.</summary>
    public bool Customer { get; init; }
}

public sealed record ResyncEvent(string Reason)
{
    /// <summary>
    /// After a change to who may see what (a channel's members: reason `membership`), the audience directory's version it
    /// made: pushed summaries read at an older version (<see cref="ConversationSummary.AudienceVersion"/>) are older than
    /// the re-read the resync asks for, and the client drops them. Absent for other reasons.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? AudienceVersion { get; init; }
}
