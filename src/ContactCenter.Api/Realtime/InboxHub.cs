using System.Diagnostics;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure.Telemetry;
using ContactCenter.Api.Features.Conversations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Realtime;

/// <summary>Thin on purpose: joins the caller's groups, and forwards read marks and typing to the services REST uses.</summary>
[Authorize]
public sealed class InboxHub(ConversationActions actions, ConversationQueries queries, InboxNotifier notifier,
    Features.Routing.PresenceTracker presence, Features.Routing.Router router, Features.Routing.QueueFeed queue,
    HubSessions sessions, SessionStamps stamps, ILogger<InboxHub> logger) : Hub<IInboxClient>
{
    public override async Task OnConnectedAsync()
    {
        // The connect is a trace of its own, like each hub method call (SignalR's spans, TelemetryExtensions): the socket's
        // request lasts as long as the connection and is not traced, so under it the connect's reads were invisible, and
        // the Redis instrumentation kept a profiling session per connection for that span. Undone when this returns.
        Activity.Current = null;
        using var span = AppTelemetry.Source.StartActivity("hub.connect");
        var me = Me;
        span?.SetTag("hub.connection.id", Context.ConnectionId).SetTag("user.id", me.Id);
        // Registered before the stamp is read again from the database: a revocation either finds this connection in the
        // registry or has already committed the stamp this check reads (the token was checked a moment ago, maybe just before).
        sessions.Add(me.Id, Context);
        var online = false;
        var first = false;
        try
        {
            SessionCheck.TryRead(Context.User!, out _, out var stamp);
            if (await stamps.ReadAsync(me.Id, Context.ConnectionAborted) is not { IsActive: true } session || session.SecurityStamp != stamp)
            {
                sessions.Remove(me.Id, Context.ConnectionId);
                Context.Abort();
                return;
            }
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.User(me.Id));
            if (me.IsStaff)
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Staff);
            }
            first = await presence.ConnectedAsync(me.Id, Context.ConnectionId);
            online = true;
            // Coming online drains the queues of this user's channels (conversations waited for someone to arrive) and
            // changes the live queue's "online". A second tab on this node changes neither: the first one's connect did it
            // (a reconnect storm after a restart ran one database read per tab). Should that first connect fail, a tab that
            // connected meanwhile comes online in its place (below).
            if (first)
            {
                await router.DrainForUserAsync(me.Id, Context.ConnectionAborted);
                await queue.PushAsync(Context.ConnectionAborted);
            }
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            // SignalR does not call OnDisconnectedAsync for a connection whose OnConnectedAsync failed (a client gone
            // mid-connect, the database away): undone here, or the user would stay "online" (the heartbeat keeps the
            // presence entry alive) and in the revocation registry.
            sessions.Remove(me.Id, Context.ConnectionId);
            if (online && !await presence.DisconnectedAsync(me.Id, Context.ConnectionId) && first)
            {
                // Another tab of this user connected meanwhile and skipped coming online, counting on this one: done for
                // it here (in the background, not under this failed connection's token), or they would stay out of
                // routing's drain and offline in the live queue.
                var userId = me.Id;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await router.DrainForUserAsync(userId, CancellationToken.None);
                    }
                    catch (Exception failed) when (failed is not OutOfMemoryException)
                    {
                        logger.LogWarning("Coming online of user {UserId} after their first tab's failed connect: {Error}", userId, failed.Message);
                    }
                    await queue.PushAsync(CancellationToken.None);
                }, CancellationToken.None);
            }
            throw;
        }
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        Activity.Current = null; // a trace of its own, as the connect
        using var span = AppTelemetry.Source.StartActivity("hub.disconnect");
        span?.SetTag("hub.connection.id", Context.ConnectionId).SetTag("user.id", Me.Id);
        sessions.Remove(Me.Id, Context.ConnectionId);
        // The live queue's "online" changes when the user's last tab here closes, not with each of their tabs.
        if (await presence.DisconnectedAsync(Me.Id, Context.ConnectionId))
        {
            await queue.PushAsync(CancellationToken.None);
        }
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>
    /// Answered only after OnConnectedAsync has joined the caller's groups (the handshake is answered before it), so a
    /// client that re-reads through REST after this call cannot miss an event pushed in between.
    /// </summary>
    public Task Ready() => Task.CompletedTask;

    public async Task MarkRead(long conversationId, long? upToMessageId)
    {
        if (await actions.MarkReadAsync(Me, conversationId, upToMessageId, Context.ConnectionAborted) is { Error: not ConversationActions.ChangeError.None } refused)
        {
            throw new HubException(refused.Detail);
        }
    }

    public async Task Typing(long conversationId)
    {
        var me = Me;
        var access = await queries.AccessAsync(me, conversationId, Context.ConnectionAborted);
        if (access == ConversationQueries.Access.None)
        {
            throw new HubException("There is no such conversation.");
        }
        // A colleague mentioned into the conversation writes notes only: colleagues see them type, the customer does not.
        await notifier.TypingAsync(conversationId, me, Context.ConnectionAborted, toCustomer: access == ConversationQueries.Access.Works);
    }

    private CurrentUser Me => CurrentUser.From(Context.User ?? throw new HubException("Not signed in."));
}
