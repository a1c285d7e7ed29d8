using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Notifications;

/// <summary>
/// Stores notices inside the caller's transaction (a rolled-back change notifies nobody) and pushes them after commit,
/// each to its own user's group only. A kind the user switched off is not stored at all; an event already noticed
/// (same user, kind and key) is not stored again.
/// </summary>
public sealed class NotificationStore(NpgsqlDataSource db, INotificationPushes pushes, ILogger<NotificationStore> logger)
{
    internal const string ItemColumns = "id, kind, text, conversation_id, deal_id, lead_id, activity_id, created_at, read_at, data::text as data";

    private static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    internal sealed class Row
    {
        public long UserId { get; init; }
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Text { get; init; } = "";
        public long? ConversationId { get; init; }
        public long? DealId { get; init; }
        public long? LeadId { get; init; }
        public long? ActivityId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? ReadAt { get; init; }
        public string? Data { get; init; }

        public NotificationItem ToItem() => new(Id, Kind, Text, ConversationId, DealId, ActivityId, CreatedAt, ReadAt)
        {
            LeadId = LeadId,
            Data = Data is null ? null : JsonSerializer.Deserialize<NotificationData>(Data, DataJson),
        };
    }

    public static async Task<List<CreatedNotification>> AddAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, IEnumerable<NotificationDraft> drafts, DateTimeOffset now, CancellationToken ct)
    {
        const string sql = $"""
            insert into notifications (user_id, kind, text, conversation_id, deal_id, lead_id, activity_id, dedupe_key, created_at, data)
            select u.id, @Kind, left(@Text, 500), @ConversationId, @DealId, @LeadId, @ActivityId, @DedupeKey, @now, @Data::jsonb
            from users u left join user_settings s on s.user_id = u.id
            where u.id = @UserId and u.is_active and coalesce((s.settings -> 'notifications' ->> @Kind)::boolean, true)
            on conflict (user_id, kind, dedupe_key) do nothing
            returning user_id, {ItemColumns}
            """;
        var created = new List<CreatedNotification>();
        foreach (var d in drafts)
        {
            var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(sql, new
            {
                d.UserId, d.Kind, d.Text, d.ConversationId, d.DealId, d.LeadId, d.ActivityId, d.DedupeKey, now = now.UtcDateTime,
                Data = d.Data is null ? null : JsonSerializer.Serialize(d.Data, DataJson),
            }, tx, cancellationToken: ct));
            if (row is not null)
            {
                created.Add(new CreatedNotification(row.UserId, row.ToItem()));
            }
        }
        return created;
    }

    /// <summary>Stores and pushes at once: for callers whose event is already committed (SLA scan, scheduler).</summary>
    public async Task AddAndPushAsync(IReadOnlyCollection<NotificationDraft> drafts, DateTimeOffset now, CancellationToken ct)
    {
        if (drafts.Count == 0)
        {
            return;
        }
        List<CreatedNotification> created;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            created = await AddAsync(connection, null, drafts, now, ct);
        }
        await PushAsync(created);
    }

    /// <summary>After commit. A failed push is logged, never thrown: the notice is stored and the bell re-reads it.</summary>
    public async Task PushAsync(IEnumerable<CreatedNotification> created)
    {
        foreach (var n in created)
        {
            try
            {
                await pushes.NotificationAsync(n.UserId, n.Item);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Pushing notification {NotificationId} failed", n.Item.Id);
            }
        }
    }

    /// <summary>The `assigned` notice (inside the assignment's transaction): by a colleague (<paramref name="by"/>) or by routing (null).</summary>
    public static async Task<List<CreatedNotification>> AssignedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long conversationId, long userId,
        string? by, DateTimeOffset now, CancellationToken ct)
    {
        var (contact, channel) = await ContactAndChannelAsync(connection, tx, conversationId, ct);
        var subject = $"{contact} ({channel})";
        var text = by is null ? $"Conversation with {subject} routed to you." : $"{by} assigned you the conversation with {subject}.";
        return await AddAsync(connection, tx, [new NotificationDraft(userId, NotificationKinds.Assigned, text,
            At("conversation", conversationId, now), ConversationId: conversationId, Data: new NotificationData { Contact = contact, Channel = channel, By = by })], now, ct);
    }

    /// <summary>The names a notice gives a conversation: its contact's (name, else email, else phone, else `#id`) and its channel's.</summary>
    public static async Task<(string Contact, string Channel)> ContactAndChannelAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long conversationId,
        CancellationToken ct) =>
        await connection.QuerySingleAsync<(string, string)>(new CommandDefinition($"""
            select {ContactName}, ch.name
            from conversations c join contacts ct on ct.id = c.contact_id join channels ch on ch.id = c.channel_id where c.id = @conversationId
            """, new { conversationId }, tx, cancellationToken: ct));

    /// <summary>A contact's name in a notice (of `ct`): words of no language, so that every client can show it as it is.</summary>
    internal const string ContactName = "coalesce(ct.name, ct.email, ct.phone, '#' || ct.id)";

    /// <summary>Key of an event that happens at a moment (an assignment, a breach): the same moment is one event.</summary>
    public static string At(string subject, long id, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"{subject}:{id}:{at.UtcTicks}");

    public static string Of(string subject, long id) => string.Create(CultureInfo.InvariantCulture, $"{subject}:{id}");
}
