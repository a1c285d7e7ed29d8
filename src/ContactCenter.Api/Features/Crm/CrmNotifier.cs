using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// Pushes CRM changes after commit to exactly the users who see them: `dealUpdated` / `leadUpdated` to each
/// deal's or lead's audience (the REST rule, <see cref="CrmAccess"/>), `countersChanged` to the users whose
/// counters moved, messages made by automation as `messageCreated`, and `notification`s.
/// A failed push is logged, never thrown: the change is committed and clients re-read through REST.
/// </summary>
public sealed class CrmNotifier(ICrmPushes pushes, Notifications.INotificationPushes notices, NpgsqlDataSource db, DealQueries deals,
    LeadQueries leads, ILogger<CrmNotifier> logger)
{
    public async Task FlushAsync(CrmChanges changes, CancellationToken ct = default)
    {
        try
        {
            foreach (var id in changes.Deals)
            {
                if (await deals.CardAsync(id, ct) is { } card)
                {
                    var audience = await AudienceAsync(CrmAccess.DealAudience, new { dealId = id }, ct);
                    await pushes.DealUpdatedAsync(audience, card);
                    await RemovedAsync(changes, deal: true, id, audience, card.Assignee);
                }
            }
            foreach (var id in changes.Leads)
            {
                if (await leads.GetAsync(id, ct) is { } lead)
                {
                    var audience = await AudienceAsync(CrmAccess.LeadAudience, new { leadId = id }, ct);
                    await pushes.LeadUpdatedAsync(audience, lead);
                    await RemovedAsync(changes, deal: false, id, audience, lead.Assignee);
                }
            }
            foreach (var id in changes.Messages)
            {
                await pushes.MessageCreatedAsync(id, ct);
            }
            foreach (var id in changes.Conversations)
            {
                await pushes.ConversationChangedAsync(id, [], ct);
            }
            foreach (var n in changes.Notifications)
            {
                await notices.NotificationAsync(n.UserId, n.Item);
            }
            if (changes.CounterUsers.Count > 0)
            {
                await pushes.PushCountersAsync(changes.CounterUsers, ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Pushing CRM changes failed");
        }
    }

    /// <summary>The former assignees of a handed-over record, and those who saw it through the conversation it went with, who are not in its audience now.</summary>
    private Task RemovedAsync(CrmChanges changes, bool deal, long id, List<long> audience, UserRef? assignee)
    {
        var gone = changes.Handovers.Where(h => h.Deal == deal && h.Id == id).Select(h => h.FormerAssignee)
            .Concat(changes.TakenWith.Where(t => t.Deal == deal && t.Id == id).SelectMany(t => t.Viewers))
            .Where(u => !audience.Contains(u)).Distinct().ToList();
        return gone.Count == 0 ? Task.CompletedTask : pushes.RemovedAsync(gone, deal, new CrmRemoved(id, assignee));
    }

    public Task ActivityDueAsync(long userId, ActivityDto activity) => pushes.ActivityDueAsync(userId, activity);

    private async Task<List<long>> AudienceAsync(string sql, object args, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<long>(new CommandDefinition(sql, args, cancellationToken: ct))).ToList();
    }
}
