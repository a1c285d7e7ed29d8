using System.Text.Json;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>Builds the client's Message records (with attachments and sender), newest first, keyset by id.</summary>
public sealed class MessageQueries(NpgsqlDataSource db)
{
    /// <summary>One message as read for the client (the inbound batch returns the same columns from its insert).</summary>
    internal class MessageRow
    {
        public long Id { get; init; }
        public long ConversationId { get; init; }
        public string Direction { get; init; } = "";
        public string? Text { get; init; }
        public string? Html { get; init; }
        public string SenderType { get; init; } = "";
        public long? SenderId { get; init; }
        public string? SenderName { get; init; }
        public string Status { get; init; } = "";
        public string? Error { get; init; }
        public string? ExternalId { get; init; }
        public long? ReplyToId { get; init; }
        public string? Metadata { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? SentAt { get; init; }
        public int Revision { get; init; }
        public string Attachments { get; init; } = "[]";
    }

    private sealed record AttachmentRow(long Id, string FileName, string ContentType, long? Size);

    private const string Select = """
        select m.id, m.conversation_id, m.direction, m.text, m.html, m.sender_type,
               case when m.sender_type = 'user' then m.sender_user_id when m.sender_type = 'contact' then c.contact_id end as sender_id,
               case when m.sender_type = 'user' then coalesce(u.name, m.metadata->>'senderName') when m.sender_type = 'contact' then coalesce(ct.name, ct.email, ct.phone, 'Contact ' || ct.id) else 'System' end as sender_name,
               m.status, m.error, m.external_id, m.reply_to_id, m.metadata::text as metadata, m.created_at, case when m.direction = 'inbound' then m.sent_at end as sent_at, m.revision,
               coalesce((select json_agg(json_build_object('id', a.id, 'fileName', a.file_name, 'contentType', a.content_type, 'size', a.size) order by a.id)
                         from attachments a where a.message_id = m.id)::text, '[]') as attachments
        from messages m
        join conversations c on c.id = m.conversation_id
        join contacts ct on ct.id = c.contact_id
        left join users u on u.id = m.sender_user_id
        """;

    public async Task<Page<MessageDto>> ListAsync(long conversationId, int limit, string? cursor, CancellationToken ct)
    {
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            before = long.TryParse(cursor, out var id) ? id : throw new BadHttpRequestException("The cursor is not valid.");
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<MessageRow>(new CommandDefinition(
            Select + " where m.conversation_id = @conversationId and (@before::bigint is null or m.id < @before) order by m.id desc limit @take",
            new { conversationId, before, take = limit + 1 }, cancellationToken: ct))).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(rows.Count - 1);
            next = rows[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return new Page<MessageDto>(rows.Select(ToDto).ToList(), next);
    }

    /// <summary>
    /// The page around a message (opening a search hit): the message, up to half the limit of newer ones and the rest
    /// older ones, newest first. Null when the message is not in the conversation. `nextCursor` reads older pages as
    /// <see cref="ListAsync"/> does; `newerCursor` reads newer ones through <see cref="NewerAsync"/>.
    /// </summary>
    public async Task<MessageWindow?> AroundAsync(long conversationId, long messageId, int limit, CancellationToken ct)
    {
        var newerTake = limit / 2;
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists(select 1 from messages where id = @messageId and conversation_id = @conversationId)",
            new { conversationId, messageId }, cancellationToken: ct)))
        {
            return null;
        }
        var newer = (await connection.QueryAsync<MessageRow>(new CommandDefinition(
            Select + " where m.conversation_id = @conversationId and m.id > @messageId order by m.id limit @take",
            new { conversationId, messageId, take = newerTake + 1 }, cancellationToken: ct))).ToList();
        var older = (await connection.QueryAsync<MessageRow>(new CommandDefinition(
            Select + " where m.conversation_id = @conversationId and m.id <= @messageId order by m.id desc limit @take",
            new { conversationId, messageId, take = limit - newerTake + 1 }, cancellationToken: ct))).ToList();
        string? newerCursor = null;
        if (newer.Count > newerTake)
        {
            newer.RemoveAt(newer.Count - 1);
            newerCursor = Cursor(newer[^1].Id);
        }
        string? olderCursor = null;
        if (older.Count > limit - newerTake)
        {
            older.RemoveAt(older.Count - 1);
            olderCursor = Cursor(older[^1].Id);
        }
        newer.Reverse();
        return new MessageWindow([.. newer.Concat(older).Select(ToDto)], olderCursor, newerCursor);
    }

    /// <summary>The messages after a cursor (a message id), oldest of them first read, returned newest first.</summary>
    public async Task<MessageWindow> NewerAsync(long conversationId, int limit, string after, CancellationToken ct)
    {
        var afterId = long.TryParse(after, out var id) ? id : throw new BadHttpRequestException("The cursor is not valid.");
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<MessageRow>(new CommandDefinition(
            Select + " where m.conversation_id = @conversationId and m.id > @afterId order by m.id limit @take",
            new { conversationId, afterId, take = limit + 1 }, cancellationToken: ct))).ToList();
        string? newerCursor = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(rows.Count - 1);
            newerCursor = Cursor(rows[^1].Id);
        }
        rows.Reverse();
        return new MessageWindow([.. rows.Select(ToDto)], null, newerCursor);
    }

    private static string Cursor(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<MessageDto?> GetAsync(long messageId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(Select + " where m.id = @messageId", new { messageId }, cancellationToken: ct));
        return row is null ? null : ToDto(row);
    }

    internal static MessageDto ToDto(MessageRow r)
    {
        var attachments = JsonSerializer.Deserialize<List<AttachmentRow>>(r.Attachments, ConversationQueries.Json) ?? [];
        return new MessageDto(r.Id, r.ConversationId, r.Direction, r.Text, r.Html,
            attachments.Select(a => new AttachmentDto(a.Id, a.FileName, a.ContentType, a.Size, $"/api/attachments/{a.Id}")).ToList(),
            new SenderDto(r.SenderType, r.SenderId, r.SenderName ?? ""), r.Status, r.Error, r.ExternalId, r.CreatedAt)
        {
            ReplyToId = r.ReplyToId,
            SentAt = r.SentAt,
            Revision = r.Revision,
            Metadata = r.Metadata is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(r.Metadata),
        };
    }
}
