namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// What one transaction changed, collected while it runs and pushed by <see cref="CrmNotifier"/> after it commits
/// (never before: a client must not see what a rollback takes back).
/// </summary>
public sealed class CrmChanges
{
    public HashSet<long> Deals { get; } = [];

    public HashSet<long> Leads { get; } = [];

    /// <summary>Users whose counters may have changed (assignees before and after, activity owners).</summary>
    public HashSet<long> CounterUsers { get; } = [];

    /// <summary>Messages created (automation replies), pushed like any message.</summary>
    public List<long> Messages { get; } = [];

    /// <summary>Notices stored in the transaction (the automation action `notify`), pushed to their users after commit.</summary>
    public List<Notifications.CreatedNotification> Notifications { get; } = [];

    /// <summary>Conversations whose summary changed (automation labelled them), pushed as `conversationUpdated`.</summary>
    public HashSet<long> Conversations { get; } = [];

    /// <summary>Deals (Deal true) and leads handed from one user to another: the former one is told when they lost sight.</summary>
    public List<(bool Deal, long Id, long FormerAssignee)> Handovers { get; } = [];

    public void HandedOver(bool deal, long id, long? former, long? now)
    {
        if (former is { } user && former != now)
        {
            Handovers.Add((deal, id, user));
        }
    }

    /// <summary>
    /// Deals (Deal true) and leads that went with their conversation to its new assignee, and who saw that conversation
    /// before: those who saw the record through it are told when they lost sight (a colleague's take left the lead live and
    /// editable on their side panel, card, board and lists, every button then failing).
    /// </summary>
    public List<(bool Deal, long Id, IReadOnlyCollection<long> Viewers)> TakenWith { get; } = [];

    /// <summary>Automation jobs were queued: wake the scheduler.</summary>
    public bool JobsQueued { get; set; }

    public void Counters(params long?[] users)
    {
        foreach (var u in users)
        {
            if (u is { } id)
            {
                CounterUsers.Add(id);
            }
        }
    }
}
