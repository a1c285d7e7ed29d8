using System.Globalization;
using System.Text;
using System.Text.Json;
using ContactCenter.Api.Auth;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>Reads conversations, messages and counters as a given user may see them. One place for the visibility rule.</summary>
public sealed partial class ConversationQueries(NpgsqlDataSource db)
{
    /// <summary>
    /// A manager sees conversations assigned to them, the unassigned ones of channels they are a member of, and those
    /// they were @mentioned into (participants); admins and supervisors see all. Parameters: @me, @staff.
    /// </summary>
    public const string Visible = """
        (@staff or c.assignee_id = @me or (c.assignee_id is null and exists (select 1 from channel_members cm where cm.channel_id = c.channel_id and cm.user_id = @me))
            or exists (select 1 from conversation_participants cp where cp.conversation_id = c.id and cp.user_id = @me))
        """;

    /// <summary>A summary's columns with <paramref name="unread"/> as its unread count.</summary>
    private static string Columns(string unread) => $"""
        c.id, c.status, c.revision, c.created_at, c.updated_at, c.last_activity_at, c.waiting_since, c.snoozed_until, c.lead_id, c.deal_id,
        ch.id as channel_id, ch.kind as channel_kind, ch.name as channel_name,
        ct.id as contact_id, coalesce(ct.name, ct.email, ct.phone, 'Contact ' || ct.id) as contact_name,
        u.id as assignee_id, u.name as assignee_name,
        {unread} as unread_count,
        lm.id as last_id, lm.direction as last_direction, left(coalesce(lm.text, ''), 140) as last_preview, lm.created_at as last_created_at,
        lm.sender_user_id as last_sender_id, lsu.name as last_sender_name,
        """ + Labels.LabelList.Column("conversation_labels", "conversation_id", "c.id") + " as labels";

    /// <summary>A summary as @me sees it: their unread count from their read position (<see cref="SummaryJoins"/>).</summary>
    private static readonly string SummaryColumns = Columns("greatest(c.inbound_count - coalesce(r.read_inbound_count, 0), 0)");

    /// <summary>What a summary joins besides @me's read position.</summary>
    private const string SharedJoins = """
        join channels ch on ch.id = c.channel_id
        join contacts ct on ct.id = c.contact_id
        left join users u on u.id = c.assignee_id
        left join messages lm on lm.id = c.last_message_id
        left join users lsu on lsu.id = lm.sender_user_id
        """;

    private const string SummaryJoins = SharedJoins + """

        left join conversation_reads r on r.conversation_id = c.id and r.user_id = @me
        """;

    internal class SummaryRow
    {
        public long Me { get; init; }
        public long Id { get; init; }
        public string Status { get; init; } = "";
        public long Revision { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public DateTimeOffset LastActivityAt { get; init; }
        public DateTimeOffset? WaitingSince { get; init; }
        public DateTimeOffset? SnoozedUntil { get; init; }
        public long? LeadId { get; init; }
        public long? DealId { get; init; }
        public long ChannelId { get; init; }
        public string ChannelKind { get; init; } = "";
        public string ChannelName { get; init; } = "";
        public long ContactId { get; init; }
        public string ContactName { get; init; } = "";
        public long? AssigneeId { get; init; }
        public string? AssigneeName { get; init; }
        public long UnreadCount { get; init; }
        public long? LastId { get; init; }
        public string? LastDirection { get; init; }
        public string? LastPreview { get; init; }
        public DateTimeOffset? LastCreatedAt { get; init; }
        public long? LastSenderId { get; init; }
        public string? LastSenderName { get; init; }
        public string? Labels { get; init; }

        public ConversationSummary ToSummary() => new(
            Id, new ChannelRef(ChannelId, ChannelKind, ChannelName), new ContactRef(ContactId, ContactName), Status,
            AssigneeId is null ? null : new UserRef(AssigneeId.Value, AssigneeName ?? ""), UnreadCount,
            LastId is null ? null : new LastMessage(LastId.Value, LastDirection!, LastPreview ?? "", LastCreatedAt!.Value)
            {
                Sender = LastSenderId is { } sender ? new UserRef(sender, LastSenderName ?? "") : null,
            },
            WaitingSince, LeadId, DealId, CreatedAt, UpdatedAt)
        { SnoozedUntil = SnoozedUntil, Labels = Features.Labels.LabelList.Parse(Labels), Revision = Revision };
    }

    public sealed record ListQuery(string View, string? Status, long? ChannelId, string? Q, int Limit, string? Cursor, ConversationListFilter? Filter = null)
    {
        /// <summary>Only conversations carrying this label (issue #16).</summary>
        public long? LabelId { get; init; }
    }

    public async Task<Page<ConversationSummary>> ListAsync(CurrentUser me, ListQuery query, CancellationToken ct)
    {
        var filter = query.Filter ?? ConversationListFilter.Default;
        var after = filter.DecodeCursor(query.Cursor);
        var sql = new StringBuilder($"{Database.DatabaseExtensions.GenericPlan}select {SummaryColumns} from conversations c {SummaryJoins} where {Visible}");
        sql.Append(query.View switch
        {
            "mine" => " and c.assignee_id = @me",
            "unassigned" => " and c.assignee_id is null",
            _ => "",
        });
        if (query.Status is not null)
        {
            sql.Append(" and c.status = @status");
        }
        if (query.ChannelId is not null)
        {
            sql.Append(" and c.channel_id = @channelId");
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            sql.Append(" and (ct.name ilike @q or ct.email ilike @q or ct.phone ilike @q or exists (select 1 from contact_identities ci where ci.contact_id = ct.id and (ci.address ilike @q or ci.username ilike @q)))");
        }
        sql.Append(filter.Conditions);
        if (query.LabelId is not null)
        {
            // Planned with the actual label id (custom plan, also when the statement is auto-prepared): a label may be on
            // ten conversations or on half of them. For a rare one PostgreSQL then reads the label's index and sorts the few
            // (65 ms in EXPLAIN over 200k conversations), where the generic plan walked the whole inbox index probing each row (880 ms).
            sql.Replace(Database.DatabaseExtensions.GenericPlan, Database.DatabaseExtensions.CustomPlan);
            sql.Append(" and exists (select 1 from conversation_labels fl where fl.conversation_id = c.id and fl.label_id = @labelId)");
        }
        if (after is not null)
        {
            sql.Append(filter.After);
        }
        sql.Append(filter.OrderBy).Append(" limit @take");
        var parameters = new DynamicParameters(new
        {
            me = me.Id,
            staff = me.IsStaff,
            status = query.Status,
            channelId = query.ChannelId,
            labelId = query.LabelId,
            q = "%" + EscapeLike(query.Q?.Trim() ?? "") + "%",
            take = query.Limit + 1,
        });
        filter.AddParameters(parameters, after);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<SummaryRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: ct))).ToList();
        string? next = null;
        if (rows.Count > query.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            next = filter.EncodeCursor(filter.PositionOf(rows[^1]));
        }
        return new Page<ConversationSummary>(rows.Select(r => r.ToSummary()).ToList(), next);
    }

    public async Task<ConversationDetails?> GetAsync(CurrentUser me, long id, CancellationToken ct)
    {
        var sql = $"""
            select {SummaryColumns} from conversations c {SummaryJoins} where c.id = @id and {Visible};
            select ct.id, coalesce(ct.name, ct.email, ct.phone, 'Contact ' || ct.id) as name, ct.email, ct.phone
            from conversations c join contacts ct on ct.id = c.contact_id where c.id = @id;
            select ci.channel_kind, ci.address, ci.display_name, ci.username
            from conversations c join contact_identities ci on ci.contact_id = c.contact_id where c.id = @id order by ci.id;
            select ct.id as contact_id, coalesce(ct.name, ct.email, ct.phone, 'Contact ' || ct.id) as name
            from conversations cv join contacts x on x.id = cv.contact_id join contacts ct on ct.id = x.possible_duplicate_of
            where cv.id = @id and {Crm.CrmAccess.ContactVisible};
            select {Labels.LabelList.Column("contact_labels", "contact_id", "c.contact_id")} from conversations c where c.id = @id;
            select not {Works} from conversations c where c.id = @id;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        // One snapshot for all six statements: read committed gave each its own, so a colleague's assignment committing
        // between the first and the last made a visible conversation's caller a "participant" (notes only) on screen.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
        var row = await grid.ReadSingleOrDefaultAsync<SummaryRow>();
        if (row is null)
        {
            return null;
        }
        var contact = await grid.ReadSingleAsync<(long Id, string Name, string? Email, string? Phone)>();
        var identities = (await grid.ReadAsync<ContactIdentityDto>()).ToList();
        var duplicate = await grid.ReadSingleOrDefaultAsync<PossibleDuplicate>();
        var contactLabels = Labels.LabelList.Parse(await grid.ReadSingleAsync<string>());
        var participant = await grid.ReadSingleAsync<bool>();
        var s = row.ToSummary();
        return new ConversationDetails(s.Id, s.Channel, new ContactDetails(contact.Id, contact.Name, contact.Email, contact.Phone, identities) { Labels = contactLabels },
            s.Status, s.Assignee, s.UnreadCount, s.LastMessage, s.WaitingSince, s.LeadId, s.DealId, s.CreatedAt, s.UpdatedAt)
        { PossibleDuplicate = duplicate, SnoozedUntil = s.SnoozedUntil, Labels = s.Labels, Revision = s.Revision, Participant = participant };
    }

    /// <summary>True when the user may see the conversation (false also when it does not exist).</summary>
    public async Task<bool> CanSeeAsync(CurrentUser me, long conversationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"select exists(select 1 from conversations c where c.id = @conversationId and {Visible})",
            new { conversationId, me = me.Id, staff = me.IsStaff }, cancellationToken: ct));
    }

    internal static string EncodeCursor(DateTimeOffset at, long id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{at.UtcTicks}:{id}"));

    internal static (DateTimeOffset? At, long Id) DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return (null, 0);
        }
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
            return (new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero), long.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new BadHttpRequestException("The cursor is not valid.");
        }
    }

    private static string EscapeLike(string value) => value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
