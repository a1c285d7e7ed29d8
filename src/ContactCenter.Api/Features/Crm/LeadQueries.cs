using System.Text;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Fields;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>Reads leads as a user may see them, newest first (keyset on id).</summary>
public sealed class LeadQueries(NpgsqlDataSource db)
{
    internal const string Select = $"""
        select {Labels.LabelList.OfContact} as contact_labels, l.id, l.title, l.status, l.source, l.junk_reason, l.deal_id, l.created_at, l.updated_at,
               ct.id as contact_id, coalesce(ct.name, ct.email, ct.phone, 'Contact ' || ct.id) as contact_name, ct.email as contact_email, ct.phone as contact_phone,
               l.assignee_id, u.name as assignee_name,
               na.id as next_activity_id, na.type as next_activity_type, na.title as next_activity_title, na.due_at as next_activity_due_at,
               l.fields::text as fields_json
        from leads l
        join contacts ct on ct.id = l.contact_id
        left join users u on u.id = l.assignee_id
        left join lateral (
            select a.id, a.type, a.title, a.due_at from activities a
            where a.subject_type = 'lead' and a.subject_id = l.id and a.completed_at is null order by a.due_at, a.id limit 1
        ) na on true
        """;

    internal sealed class Row
    {
        public long Id { get; init; }
        public string Title { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Source { get; init; }
        public string? JunkReason { get; init; }
        public long? DealId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public long ContactId { get; init; }
        public string ContactName { get; init; } = "";
        public string? ContactEmail { get; init; }
        public string? ContactPhone { get; init; }
        public string? ContactLabels { get; init; }
        public long? AssigneeId { get; init; }
        public string? AssigneeName { get; init; }
        public long? NextActivityId { get; init; }
        public string? NextActivityType { get; init; }
        public string? NextActivityTitle { get; init; }
        public DateTimeOffset? NextActivityDueAt { get; init; }
        public string? FieldsJson { get; init; }

        public LeadDto ToDto() => new(Id, Title, Status, Source, new ContactInfo(ContactId, ContactName, ContactEmail, ContactPhone) { Labels = Labels.LabelList.Parse(ContactLabels) },
            AssigneeId is null ? null : new UserRef(AssigneeId.Value, AssigneeName ?? ""), JunkReason, DealId,
            NextActivityId is null ? null : new ActivityRef(NextActivityId.Value, NextActivityType!, NextActivityTitle!, NextActivityDueAt!.Value),
            CreatedAt, UpdatedAt) { Fields = FieldValues.Parse(FieldsJson) };
    }

    public async Task<LeadDto?> GetAsync(CurrentUser me, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct); // the card and its extras as of one moment
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} where l.id = @id and {CrmAccess.LeadVisible}", new { id, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
        return row is null ? null : (await CardExtras.WithExtrasAsync(connection, tx, [row.ToDto()], me, ct))[0];
    }

    /// <summary>The lead regardless of who asks (for pushes, already addressed to the lead's audience).</summary>
    public async Task<LeadDto?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} where l.id = @id", new { id }, tx, cancellationToken: ct));
        return row is null ? null : (await CardExtras.WithExtrasAsync(connection, tx, [row.ToDto()], viewer: null, ct))[0];
    }

    public async Task<Page<LeadDto>> ListAsync(CurrentUser me, string? status, long? assigneeId, int limit, string? cursor, CancellationToken ct)
    {
        var before = DealQueries.ParseCursor(cursor);
        var sql = new StringBuilder($"{Select} where {CrmAccess.LeadVisible}");
        if (status is not null)
        {
            sql.Append(" and l.status = @status");
        }
        if (assigneeId is not null)
        {
            sql.Append(" and l.assignee_id = @assigneeId");
        }
        if (before is not null)
        {
            sql.Append(" and l.id < @before");
        }
        sql.Append(" order by l.id desc limit @take");
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct); // the cards and their extras as of one moment
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(sql.ToString(),
            new { me = me.Id, staff = me.IsStaff, status, assigneeId, before, take = limit + 1 }, tx, cancellationToken: ct))).ToList();
        var page = DealQueries.ToPage(rows, limit, r => r.ToDto(), r => r.Id);
        return page with { Items = await CardExtras.WithExtrasAsync(connection, tx, page.Items, me, ct) };
    }
}
