using ContactCenter.Api.Realtime;
using Dapper;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// Pushes CRM changes after commit to exactly the users who see them: `dealUpdated` / `leadUpdated` to each
/// deal's or lead's audience (the REST rule, <see cref="CrmAccess"/>), `countersChanged` to the users whose
/// counters moved, messages made by automation as `messageCreated`, and `notification`s.
/// A failed push is logged, never thrown: the change is committed and clients re-read through REST.
/// </summary>
public sealed class CrmNotifier(IHubContext<InboxHub, IInboxClient> hub, NpgsqlDataSource db, DealQueries deals, LeadQueries leads,
    InboxNotifier inbox, ILogger<CrmNotifier> logger)
{
    public async Task FlushAsync(CrmChanges changes, CancellationToken ct = default)
    {
        try
        {
            foreach (var id in changes.Deals)
            {
                if (await deals.CardAsync(id, ct) is { } card)
                {
                    await hub.Clients.Groups((await AudienceAsync(CrmAccess.DealAudience, new { dealId = id }, ct)).Select(HubGroups.User).ToList()).dealUpdated(card);
                }
            }
            foreach (var id in changes.Leads)
            {
                if (await leads.GetAsync(id, ct) is { } lead)
                {
                    await hub.Clients.Groups((await AudienceAsync(CrmAccess.LeadAudience, new { leadId = id }, ct)).Select(HubGroups.User).ToList()).leadUpdated(lead);
                }
            }
            foreach (var id in changes.Messages)
            {
                await inbox.MessageCreatedAsync(id, ct);
            }
            foreach (var id in changes.Conversations)
            {
                await inbox.ConversationChangedAsync(id, [], ct);
            }
            foreach (var n in changes.Notifications)
            {
                await hub.Clients.Group(HubGroups.User(n.UserId)).notification(n.Item);
            }
            if (changes.CounterUsers.Count > 0)
            {
                await inbox.PushCountersAsync(changes.CounterUsers, ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Pushing CRM changes failed");
        }
    }

    public async Task ActivityDueAsync(long userId, ActivityDto activity)
    {
        await hub.Clients.Group(HubGroups.User(userId)).activityDue(activity);
    }

    private async Task<List<long>> AudienceAsync(string sql, object args, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<long>(new CommandDefinition(sql, args, cancellationToken: ct))).ToList();
    }
}
