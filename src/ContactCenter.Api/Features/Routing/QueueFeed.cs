using ContactCenter.Api.Features.Conversations;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Routing;

/// <summary>The live queue: unassigned conversations waiting for a person, and who is online with what load.</summary>
public sealed class QueueFeed(NpgsqlDataSource db, PresenceTracker presence, IRoutingPushes pushes, TimeProvider clock, ILogger<QueueFeed> logger,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    private sealed class Row
    {
        public long ConversationId { get; init; }
        public long ChannelId { get; init; }
        public string ChannelKind { get; init; } = "";
        public string ChannelName { get; init; } = "";
        /// <summary>The queue's order: since when the customer waits, else since the conversation was opened.</summary>
        public DateTimeOffset WaitingSince { get; init; }

        /// <summary>Someone waits for an answer (the conversation's waiting_since is set).</summary>
        public bool Waiting { get; init; }

        public DateTimeOffset? SlaBreachedAt { get; init; }
        public string? SlaBreachKind { get; init; }
        public long? AssigneeId { get; init; }
        public string? AssigneeName { get; init; }
        public long ContactId { get; init; }
        public string ContactName { get; init; } = "";
        public string Preview { get; init; } = "";
    }

    private readonly Lock sharedGate = new();
    private bool sharedReading;
    private TaskCompletionSource<byte[]>? sharedNext;

    /// <summary>
    /// The queue for a request (`GET /api/stats/queue`; the same for every admin and supervisor) as the response's JSON:
    /// requests that come while a read runs share the next one, which starts after each of them came, so no answer is
    /// older than its request, and many supervisors' screens (or reloads) cost one read and one serialization at a time,
    /// not one each.
    /// </summary>
    public Task<byte[]> ReadSharedJsonAsync(CancellationToken ct)
    {
        TaskCompletionSource<byte[]> mine;
        bool start;
        lock (sharedGate)
        {
            mine = sharedNext ??= new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            start = !sharedReading;
            sharedReading = true;
        }
        if (start)
        {
            _ = Task.Run(ReadSharedLoopAsync, CancellationToken.None);
        }
        return mine.Task.WaitAsync(ct);
    }

    private async Task ReadSharedLoopAsync()
    {
        while (true)
        {
            TaskCompletionSource<byte[]>? batch;
            lock (sharedGate)
            {
                // Taken when the read starts: whoever joins from now on waits for the next read.
                (batch, sharedNext) = (sharedNext, null);
                if (batch is null)
                {
                    sharedReading = false;
                    return;
                }
            }
            try
            {
                batch.SetResult(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(await ReadAsync(CancellationToken.None), json.Value.SerializerOptions));
            }
            catch (Exception ex)
            {
                batch.SetException(ex); // each request answers it as its own read's failure would (the database away: 503)
            }
        }
    }

    public async Task<QueueStats> ReadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Who is online with what load is read beside the queue, on a connection of its own: the two were never one
        // snapshot (presence is in Redis), and one after the other they made a read's wall time their sum.
        var online = OnlineUsersAsync(ct);
        var queued = QueueRowsAsync(ct);
        await Task.WhenAll(online, queued); // (both awaited, so a failure of either is observed)
        var rows = await queued;
        var users = await online;
        long Waited(Row r) => r.Waiting ? (long)Math.Max(0, (now - r.WaitingSince).TotalSeconds) : 0;
        static ChannelRef Channel(Row r) => new(r.ChannelId, r.ChannelKind, r.ChannelName);
        static UserRef? Assignee(Row r) => r.AssigneeId is { } a ? new UserRef(a, r.AssigneeName ?? "") : null;
        // Breached conversations first (the supervisor acts on those), then the longest waiting, then those nobody waits
        // on (answered before they lost their owner, or not written in yet): unassigned, but not waiting.
        var waiting = rows.Where(r => r.AssigneeId is null)
            .OrderBy(r => r.SlaBreachedAt is null).ThenBy(r => !r.Waiting).ThenBy(r => r.WaitingSince).ThenBy(r => r.ConversationId)
            .Select(r => new QueueItem(r.ConversationId, Channel(r), r.Waiting ? r.WaitingSince : null, Waited(r), r.SlaBreachedAt,
                new ContactRef(r.ContactId, r.ContactName), r.Preview)).ToList();
        var breaches = rows.Where(r => r.SlaBreachedAt is not null)
            .Select(r => new QueueBreach(r.ConversationId, Channel(r), r.WaitingSince, Waited(r), r.SlaBreachKind ?? "",
                Assignee(r), r.SlaBreachedAt!.Value, new ContactRef(r.ContactId, r.ContactName), r.Preview)).ToList();
        return new QueueStats(waiting, waiting.Count == 0 ? 0 : waiting.Max(w => w.WaitingSeconds),
            users.Select(u => new OnlineUser(u.Id, u.Name, u.Open)).ToList(), breaches);
    }

    private async Task<List<Row>> QueueRowsAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // The unassigned open conversations (the queue, breached or not) and the assigned breached ones, in one read;
        // each part has its own limit, so many breaches never crowd the queue out (and each part has its partial index).
        return (await connection.QueryAsync<Row>(new CommandDefinition("""
            select c.id as conversation_id, ch.id as channel_id, ch.kind as channel_kind, ch.name as channel_name,
                   c.waiting_since, c.waiting, c.sla_breached_at, c.sla_breach_kind, c.assignee_id,
                   (select u.name from users u where u.id = c.assignee_id) as assignee_name,
                   c.contact_id, (select coalesce(ct.name, ct.email, ct.phone, 'Contact ' || ct.id) from contacts ct where ct.id = c.contact_id) as contact_name,
                   coalesce(c.last_preview, '') as preview
            from (
                (select c.id, c.channel_id, coalesce(c.waiting_since, c.created_at) as waiting_since, c.waiting_since is not null as waiting,
                        c.sla_breached_at, c.sla_breach_kind, c.assignee_id, c.contact_id, c.last_preview
                 from conversations c
                 where c.status not in ('resolved', 'snoozed') and c.assignee_id is null
                 order by coalesce(c.waiting_since, c.created_at), c.id limit 500)
                union all
                (select c.id, c.channel_id, coalesce(c.waiting_since, c.created_at), c.waiting_since is not null,
                        c.sla_breached_at, c.sla_breach_kind, c.assignee_id, c.contact_id, c.last_preview
                 from conversations c
                 where c.status not in ('resolved', 'snoozed') and c.assignee_id is not null and c.sla_breached_at is not null
                 order by coalesce(c.waiting_since, c.created_at), c.id limit 500)) c
            -- Names are index probes per row (up to 1,000): joined, the planner hash-joined a sequential scan of every contact
            -- and user (19-32 ms a read in the benchmark's profile, three reads a second under load). The preview is kept on
            -- the conversation (migration 1147): probing `messages` for it was over half the read.
            join channels ch on ch.id = c.channel_id
            order by c.waiting_since, c.id
            """, cancellationToken: ct))).ToList();
    }

    private async Task<List<(long Id, string Name, long Open)>> OnlineUsersAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // Who is online first, then the open conversations of those only: counting them for every active user (a thousand
        // accounts, most offline) was half of this read's database time (bench, 2026-12-04).
        var active = (await connection.QueryAsync<long>(new CommandDefinition("select id from users where is_active", cancellationToken: ct))).ToList();
        var online = await presence.OnlineAsync(active);
        return (await connection.QueryAsync<(long Id, string Name, long Open)>(new CommandDefinition("""
            select u.id, u.name, (select count(*) from conversations c where c.assignee_id = u.id and c.status <> 'resolved')
            from users u where u.id = any(@online) and u.is_active order by u.name
            """, new { online = online.ToArray() }, cancellationToken: ct))).ToList();
    }

    private int scheduled;

    /// <summary>One read-and-send at a time, so a slow read taken earlier never goes out after a later one.</summary>
    private readonly SemaphoreSlim sending = new(1, 1);

    /// <summary>
    /// Pushes `queueChanged` to admins and supervisors. Changes that come in a burst (a wave of connections,
    /// a drained queue) are coalesced into one push 200 ms later, computed from the state at that time.
    /// </summary>
    public Task PushAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref scheduled, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
                Interlocked.Exchange(ref scheduled, 0);
                await sending.WaitAsync(CancellationToken.None);
                try
                {
                    await pushes.QueueChangedAsync(await ReadAsync(CancellationToken.None));
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    logger.LogWarning("Queue push skipped: {Error}", ex.Message);
                }
                finally
                {
                    sending.Release();
                }
            }, CancellationToken.None);
        }
        return Task.CompletedTask;
    }
}
