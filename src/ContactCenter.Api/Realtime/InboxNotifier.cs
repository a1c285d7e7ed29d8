using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Core;
using Dapper;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// Pushes events after commit to exactly the users who may see them (the same rule as REST), through
/// per-user groups; the Redis backplane carries them to the users' connections on other nodes.
/// </summary>
public sealed class InboxNotifier(
    IHubContext<InboxHub, IInboxClient> hub, HubLifetimeManager<InboxHub> lifetime, NpgsqlDataSource db, MessageQueries messages,
    AudienceDirectory audiences, CounterPushes counterPushes, IEnumerable<ITypingRelay> typingRelays,
    IEnumerable<IReadReceiptRelay> readRelays) : ICustomerTyping, IConversationPushes
{
    private readonly ResilientHubLifetimeManager<InboxHub> frames = (ResilientHubLifetimeManager<InboxHub>)lifetime;

    /// <summary>From this node's copy, checked against PostgreSQL by one index lookup (<see cref="AudienceDirectory.AudienceAsync"/>).</summary>
    public Task<IReadOnlyList<long>> AudienceAsync(long conversationId, CancellationToken ct) => audiences.AudienceAsync(conversationId, ct);

    /// <summary>
    /// `resync` to these users: what they may see changed in bulk (they joined or left a channel), so each of their screens
    /// re-reads through REST — the conversations, counters and deals of that channel appear or go, and an open one that
    /// is no longer theirs says so — instead of staying as they were until a reload. Called after the change committed;
    /// the event names the audience directory's version read now, at least the one the change made, so the clients drop
    /// any summary pushed from a read taken before it (<see cref="ConversationSummary.AudienceVersion"/>).
    /// </summary>
    public async Task ResyncAsync(IReadOnlyCollection<long> userIds, string reason)
    {
        if (userIds.Count == 0)
        {
            return;
        }
        long? version;
        try
        {
            version = await audiences.VersionAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            version = null; // the resync still goes: its re-read matters more than the stale pushes it would drop
        }
        await hub.Clients.Groups(userIds.Select(HubGroups.User).ToList()).resync(new ResyncEvent(reason) { AudienceVersion = version });
    }

    public async Task MessageCreatedAsync(long messageId, CancellationToken ct)
    {
        var message = await messages.GetAsync(messageId, ct);
        if (message is not null)
        {
            await MessageCreatedAsync(message, ct);
        }
    }

    /// <summary>A message whose client record the caller already has (the inbound batch returns it from its insert).</summary>
    public Task MessageCreatedAsync(MessageDto message, CancellationToken ct) => MessagesCreatedAsync(message.ConversationId, [message], [], ct);

    /// <summary>
    /// One fan-out for what one action did to one conversation: its new messages (a reply and its mention note, an inbound
    /// message and its wake note), then the conversation's summary ONCE, then the counters' step, to the audience as it
    /// stands after the action (routing, a reply's assignment already committed), each user's events written to their
    /// connections together (<see cref="HubFrame"/>: one socket write each, not three). Former viewers who lost access get
    /// only the removal, so nobody receives the message and then the summary again from a second push.
    /// </summary>
    /// <remarks>The audience comes from this node's copy, checked in the round trip that reads the summaries (<see cref="AudienceDirectory"/>).</remarks>
    public Task MessagesCreatedAsync(long conversationId, IReadOnlyList<MessageDto> created, IReadOnlyCollection<long> formerViewers, CancellationToken ct) =>
        MessagesCreatedAsync(conversationId, created, formerViewers, read: null, ct);

    /// <inheritdoc cref="MessagesCreatedAsync(long, IReadOnlyList{MessageDto}, IReadOnlyCollection{long}, CancellationToken)"/>
    /// <param name="read">The conversation as read after the change, when the caller has it (<see cref="AudienceDirectory.SummariesAsync"/>).</param>
    public async Task MessagesCreatedAsync(long conversationId, IReadOnlyList<MessageDto> created, IReadOnlyCollection<long> formerViewers,
        AudienceSummaries? read, CancellationToken ct)
    {
        var (audience, summaries) = await audiences.SummariesAsync(conversationId, ct, read: read);
        await PushFramesAsync(created, audience, summaries, audience, ct);
        await RemoveAsync(conversationId, formerViewers.Except(audience).ToList(), ct);
    }

    /// <summary>
    /// The messages to the audience, each user's summary and the counters' step of <paramref name="counted"/>, each user's
    /// in one frame. The step goes in the frame when it can be read now; under a stream of changes it waits for the
    /// coalescing window and goes on its own (<see cref="CounterPushes"/>).
    /// </summary>
    private async Task PushFramesAsync(IReadOnlyList<MessageDto> created, IReadOnlyList<long> audience,
        IReadOnlyList<(long UserId, ConversationSummary Summary)> summaries, IReadOnlyCollection<long> counted, CancellationToken ct)
    {
        var steps = await counterPushes.ReadForPushAsync(counted, ct);
        // Not the caller's token: the writes go to other people's sockets, and a cancelled write aborts the connection it
        // was for (the typed client sends before frames passed none).
        await frames.SendFramesAsync(Frames(created, audience, summaries, steps), CancellationToken.None);
    }

    /// <summary>Users to whom the same events go share one frame (one serialization): typically a channel's members after one message.</summary>
    private static List<HubFrame> Frames(IReadOnlyList<MessageDto> created, IReadOnlyList<long> audience,
        IReadOnlyList<(long UserId, ConversationSummary Summary)> summaries, IReadOnlyDictionary<long, CountersChange>? steps)
    {
        var summaryOf = summaries.ToDictionary(s => s.UserId, s => s.Summary);
        var sees = created.Count == 0 ? [] : audience.ToHashSet();
        return sees.Union(summaryOf.Keys).Union(steps?.Keys ?? [])
            .GroupBy(u => (Sees: sees.Contains(u), Summary: summaryOf.GetValueOrDefault(u), Step: steps?.GetValueOrDefault(u)))
            .Select(g =>
            {
                var invocations = new List<HubInvocation>();
                if (g.Key.Sees)
                {
                    invocations.AddRange(created.Select(m => new HubInvocation(nameof(IInboxClient.messageCreated), m)));
                }
                if (g.Key.Summary is { } summary)
                {
                    invocations.Add(new HubInvocation(nameof(IInboxClient.conversationUpdated), summary));
                }
                if (g.Key.Step is { } step)
                {
                    invocations.Add(new HubInvocation(nameof(IInboxClient.countersChanged), step));
                }
                return new HubFrame(g.Select(HubGroups.User).ToList(), invocations);
            })
            .Where(f => f.Invocations.Count > 0)
            .ToList();
    }

    public async Task MessageUpdatedAsync(long messageId, CancellationToken ct)
    {
        var message = await messages.GetAsync(messageId, ct);
        if (message is null)
        {
            return;
        }
        var audience = await AudienceAsync(message.ConversationId, ct);
        await hub.Clients.Groups(audience.Select(HubGroups.User).ToList()).messageUpdated(message);
    }

    /// <summary>After an assignment, status or read change. Former viewers who lost access are told to drop it.</summary>
    public async Task ConversationChangedAsync(long conversationId, IReadOnlyCollection<long> formerViewers, CancellationToken ct)
    {
        var (audience, summaries) = await audiences.SummariesAsync(conversationId, ct);
        await PushFramesAsync([], audience, summaries, audience, ct);
        await RemoveAsync(conversationId, formerViewers.Except(audience).ToList(), ct);
    }

    /// <summary>Tells former viewers to drop the conversation, except whoever sees it again by the time the removal goes out.</summary>
    internal async Task RemoveAsync(long conversationId, IReadOnlyList<long> removed, CancellationToken ct)
    {
        if (removed.Count == 0)
        {
            return;
        }
        // Who has it now, so a screen that had it open can say "taken by <name>" instead of silently closing it, and the
        // revision that orders the removal after any summary read before it.
        RemovalRow? now;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            now = await connection.QuerySingleOrDefaultAsync<RemovalRow>(new CommandDefinition(AssigneeOf, new { conversationId }, cancellationToken: ct));
        }
        // Read after the change, so a later change may have given it back (two quick hand-overs, A -> B -> A): whoever sees
        // it now is not told to drop it, or the removal, carrying the newest revision, would hide it for good.
        var seesItNow = now is null ? [] : await AudienceAsync(conversationId, ct);
        removed = removed.Where(u => u != now?.AssigneeId && !seesItNow.Contains(u)).ToList();
        if (removed.Count == 0)
        {
            return;
        }
        var assignee = now?.AssigneeId is { } id ? new UserRef(id, now.AssigneeName ?? "") : null;
        await hub.Clients.Groups(removed.Select(HubGroups.User).ToList())
            .conversationRemoved(new ConversationRef(conversationId, assignee) { Revision = now?.Revision ?? GoneRevision });
        await PushCountersAsync(removed, ct);
    }

    /// <summary>
    /// Only the reader's own view changes on a read: their summary and counters, on all their devices. The summary only
    /// while the reader may still see the conversation: a read that passed its check just before the conversation was
    /// handed to someone else must not follow the `conversationRemoved` with a summary (the screen would show it again).
    /// </summary>
    public async Task ReadChangedAsync(long conversationId, long userId, CancellationToken ct)
    {
        var (audience, summaries) = await audiences.SummariesAsync(conversationId, ct, only: [userId]);
        await PushFramesAsync([], audience, summaries, [userId], ct);
        foreach (var relay in readRelays)
        {
            await relay.ConversationReadAsync(conversationId, ct);
        }
    }

    /// <summary>Counters are coalesced per user over a short window (<see cref="CounterPushes"/>); the values pushed are exact.</summary>
    public Task PushCountersAsync(IReadOnlyCollection<long> userIds, CancellationToken ct)
    {
        counterPushes.Request(userIds);
        return Task.CompletedTask;
    }

    /// <param name="toCustomer">Also tell the customer (a web chat visitor); not for a colleague who only writes notes here.</param>
    public async Task TypingAsync(long conversationId, CurrentUser who, CancellationToken ct, bool toCustomer = true)
    {
        var audience = await AudienceAsync(conversationId, ct);
        var others = audience.Where(id => id != who.Id).Select(HubGroups.User).ToList();
        await hub.Clients.Groups(others).typing(new TypingEvent(conversationId, who.Id, who.Name));
        foreach (var relay in toCustomer ? typingRelays : Enumerable.Empty<ITypingRelay>())
        {
            await relay.ManagerTypingAsync(conversationId, who.Name, ct);
        }
    }

    /// <summary>The customer (a web chat visitor) is typing: the same `typing` event, with no user id and `customer: true`.</summary>
    public async Task CustomerTypingAsync(long conversationId, string customerName, CancellationToken cancellationToken)
    {
        var audience = await AudienceAsync(conversationId, cancellationToken);
        await hub.Clients.Groups(audience.Select(HubGroups.User).ToList()).typing(new TypingEvent(conversationId, 0, customerName) { Customer = true });
    }
    /// <summary>A conversation that is gone is removed for good: no summary of it is newer.</summary>
    private const long GoneRevision = long.MaxValue;

    private const string AssigneeOf = """
        SELECT c.revision, u.id AS assignee_id, u.name AS assignee_name FROM conversations c LEFT JOIN users u ON u.id = c.assignee_id
        WHERE c.id = @conversationId
        """;

    private sealed class RemovalRow
    {
        public long Revision { get; init; }
        public long? AssigneeId { get; init; }
        public string? AssigneeName { get; init; }
    }
}
