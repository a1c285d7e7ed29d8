using System.Globalization;
using ContactCenter.Connectors.WebChat;
using ContactCenter.Connectors.WebChat.Widget;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.WebChat;

/// <summary>
/// The web chat connector's SQL, kept by the host: a visitor's own conversation and messages (never notes, never anyone
/// else's), the name/email they gave, and the lead a form submission landed in.
/// </summary>
public sealed class WebChatStore(NpgsqlDataSource db) : IWebChatStore
{
    private sealed class MessageRow
    {
        public long Id { get; init; }
        public long ConversationId { get; init; }
        public string Direction { get; init; } = "";
        public string Text { get; init; } = "";
        public string SenderType { get; init; } = "";
        public string SenderName { get; init; } = "";
        public string? ClientMessageId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public long? CsatSurveyId { get; init; }
        public int? CsatRating { get; init; }

        public WidgetMessage ToMessage(ILookup<long, WidgetAttachment> files) =>
            new(Id, ConversationId, Direction, Text, new WidgetSender(SenderType, SenderName), CreatedAt)
            {
                ClientMessageId = ClientMessageId is null ? null : VisitorMessageIds.ClientMessageId(ClientMessageId),
                Attachments = files[Id].ToList(),
                Csat = CsatSurveyId is { } survey ? new WidgetCsat(survey, CsatRating) : null,
            };
    }

    private sealed class AttachmentRow
    {
        public long Id { get; init; }
        public long MessageId { get; init; }
        public string FileName { get; init; } = "";
        public string ContentType { get; init; } = "";
        public long? Size { get; init; }
    }

    private sealed class FileRow
    {
        public long Id { get; init; }
        public string FileName { get; init; } = "";
        public string ContentType { get; init; } = "";
        public long? Size { get; init; }
        public string? StoragePath { get; init; }
    }

    // Visitors see what was said to them and by them: no private notes, no replies that never left.
    private const string SelectMessages = """
        select m.id, m.conversation_id, m.direction, coalesce(m.text, '') as text, m.sender_type,
               case when m.sender_type = 'user' then coalesce(u.name, '') else '' end as sender_name,
               case when m.direction = 'inbound' and starts_with(m.external_id, c.thread_key || '/')
                    then substr(m.external_id, length(c.thread_key) + 2) end as client_message_id,
               m.created_at,
               case when m.metadata->>'csatSurveyId' ~ '^[0-9]{1,18}$' then (m.metadata->>'csatSurveyId')::bigint end as csat_survey_id,
               case when m.metadata->>'csatRating' ~ '^[1-5]$' then (m.metadata->>'csatRating')::int end as csat_rating
        from messages m
        join conversations c on c.id = m.conversation_id
        left join users u on u.id = m.sender_user_id
        where m.direction in ('inbound', 'outbound') and m.status <> 'failed'
        """;

    public async Task<long?> ConversationOfAsync(Visitor visitor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select id from conversations where channel_id = @ChannelId and thread_key = @Key order by id limit 1", visitor, cancellationToken: ct));
    }

    public async Task<WidgetPage> ListAsync(Visitor visitor, int limit, long? before, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<MessageRow>(new CommandDefinition(
            SelectMessages + " and c.channel_id = @ChannelId and c.thread_key = @Key and (@before::bigint is null or m.id < @before) order by m.id desc limit @take",
            new { visitor.ChannelId, visitor.Key, before, take = limit + 1 }, cancellationToken: ct))).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(rows.Count - 1);
            next = rows[^1].Id.ToString(CultureInfo.InvariantCulture);
        }
        var files = await AttachmentsAsync(connection, rows.Select(r => r.Id).ToArray(), ct);
        var conversationId = rows.Count > 0 ? rows[0].ConversationId : await ConversationOfAsync(visitor, ct);
        var readUpTo = conversationId is { } id ? await ReadUpToAsync(connection, id, ct) : null;
        return new WidgetPage(rows.Select(r => r.ToMessage(files)).ToList(), next) { ReadUpTo = readUpTo };
    }

    public async Task<WidgetMessage?> GetMessageAsync(long messageId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<MessageRow>(new CommandDefinition(SelectMessages + " and m.id = @messageId", new { messageId }, cancellationToken: ct));
        return row?.ToMessage(await AttachmentsAsync(connection, [messageId], ct));
    }

    private static async Task<ILookup<long, WidgetAttachment>> AttachmentsAsync(NpgsqlConnection connection, long[] messageIds, CancellationToken ct) =>
        (await connection.QueryAsync<AttachmentRow>(new CommandDefinition(
            "select id, message_id, file_name, content_type, size from attachments where message_id = any(@messageIds) order by id",
            new { messageIds }, cancellationToken: ct)))
        .ToLookup(a => a.MessageId, a => new WidgetAttachment(a.Id, a.FileName, a.ContentType, a.Size,
            "/api/widget/attachments/" + a.Id.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The newest message any manager has read in the conversation: the visitor's messages up to it show "read".</summary>
    public async Task<long?> ReadUpToAsync(long conversationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await ReadUpToAsync(connection, conversationId, ct);
    }

    private static Task<long?> ReadUpToAsync(NpgsqlConnection connection, long conversationId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select max(last_read_message_id) from conversation_reads where conversation_id = @conversationId and last_read_message_id > 0",
            new { conversationId }, cancellationToken: ct));

    /// <summary>
    /// A stored file of a message the visitor can see (their own conversation, said to or by them, never a note or an
    /// upload no reply took); null for anything else, so another visitor's file is indistinguishable from a missing one.
    /// </summary>
    public async Task<OutboundAttachment?> VisitorFileAsync(Visitor visitor, long attachmentId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<FileRow>(new CommandDefinition("""
            select a.id, a.file_name, a.content_type, a.size, a.storage_path
            from attachments a join messages m on m.id = a.message_id join conversations c on c.id = m.conversation_id
            where a.id = @attachmentId and c.channel_id = @ChannelId and c.thread_key = @Key
              and m.direction in ('inbound', 'outbound') and m.status <> 'failed'
            """, new { attachmentId, visitor.ChannelId, visitor.Key }, cancellationToken: ct));
        return row is null ? null : new OutboundAttachment(row.Id, row.FileName, row.ContentType, row.Size ?? 0, row.StoragePath ?? "");
    }

    public async Task<VisitorProfile> ProfileAsync(Visitor visitor, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<VisitorProfile>(new CommandDefinition(
            "select name, email, phone from webchat_visitors where visitor_key = @Key", visitor, cancellationToken: ct)) ?? new VisitorProfile();
    }

    /// <summary>
    /// Remembers the name/email a visitor gave (used when their first message creates the contact) and fills
    /// the contact's empty name/email if it exists already. Never overwrites what a contact has: the visitor is unverified.
    /// An email given after the first message is not matched either; the contact it belongs to becomes a possible duplicate.
    /// </summary>
    public async Task SaveProfileAsync(Visitor visitor, string? name, string? email, CancellationToken ct, string? phone = null)
    {
        const string sql = """
            insert into webchat_visitors (visitor_key, channel_id, name, email, phone) values (@Key, @ChannelId, @name, @email, @phone)
            on conflict (visitor_key) do update set
                name = coalesce(excluded.name, webchat_visitors.name), email = coalesce(excluded.email, webchat_visitors.email),
                phone = coalesce(excluded.phone, webchat_visitors.phone), updated_at = now();
            update contacts set name = coalesce(contacts.name, @name), email = coalesce(contacts.email, @email),
                phone = coalesce(contacts.phone, @phone), updated_at = now(),
                possible_duplicate_of = case
                    when contacts.email is null and @email is not null and contacts.details_unverified and contacts.possible_duplicate_of is null
                    then (select o.id from contacts o where lower(o.email) = lower(@email) and o.id <> contacts.id order by o.details_unverified, o.id limit 1)
                    else contacts.possible_duplicate_of end
            where id = (select contact_id from contact_identities where channel_kind = @kind and address = @Key)
              and ((contacts.name is null and @name is not null) or (contacts.email is null and @email is not null)
                or (contacts.phone is null and @phone is not null));
            update contact_identities set display_name = coalesce(@name, display_name) where channel_kind = @kind and address = @Key;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { visitor.Key, visitor.ChannelId, name, email, phone, kind = ChannelKinds.Webchat }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>The web chat visitor of a conversation, or null when it is not a widget conversation.</summary>
    public async Task<Visitor?> VisitorOfConversationAsync(long conversationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Visitor>(new CommandDefinition("""
            select c.channel_id as "ChannelId", c.thread_key as "Key" from conversations c join channels ch on ch.id = c.channel_id
            where c.id = @conversationId and ch.kind = @kind and c.thread_key <> ''
            """, new { conversationId, kind = ChannelKinds.Webchat }, cancellationToken: ct));
    }

    public async Task<(long? LeadId, long? DealId)> CrmOfConversationAsync(long conversationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<(long? LeadId, long? DealId)>(new CommandDefinition(
            "select lead_id, deal_id from conversations where id = @conversationId", new { conversationId }, cancellationToken: ct));
    }
}
