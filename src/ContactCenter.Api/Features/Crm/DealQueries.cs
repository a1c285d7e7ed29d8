using System.Globalization;
using System.Text;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Fields;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>Reads deals as a user may see them: one deal, pages of cards (keyset on id, newest first).</summary>
public sealed class DealQueries(NpgsqlDataSource db)
{
    internal const string Columns = $"""
        {Labels.LabelList.OfContact} as contact_labels, d.id, d.title, d.amount, d.currency, d.pipeline_id, d.stage_id, s.name as stage_name, s.sort as stage_sort, s.semantic as stage_semantic,
        d.contact_id, coalesce(ct.name, ct.email, ct.phone, 'Contact ' || ct.id) as contact_name, ct.email as contact_email, ct.phone as contact_phone,
        d.assignee_id, u.name as assignee_name, d.source, d.lead_id, d.parent_deal_id, d.outcome, d.loss_reason_id, lr.name as loss_reason_name, lr.name_ru as loss_reason_name_ru,
        d.closed_at, coalesce(d.stage_entered_at, d.created_at) as stage_entered_at, d.created_at, d.updated_at,
        na.id as next_activity_id, na.type as next_activity_type, na.title as next_activity_title, na.due_at as next_activity_due_at,
        d.company_id, co.name as company_name,
        d.fields::text as fields_json
        """;

    internal const string Joins = """
        join stages s on s.id = d.stage_id
        left join contacts ct on ct.id = d.contact_id
        left join users u on u.id = d.assignee_id
        left join loss_reasons lr on lr.id = d.loss_reason_id
        left join companies co on co.id = d.company_id
        left join lateral (
            select a.id, a.type, a.title, a.due_at from activities a
            where a.subject_type = 'deal' and a.subject_id = d.id and a.completed_at is null order by a.due_at, a.id limit 1
        ) na on true
        """;

    internal sealed class Row
    {
        public long Id { get; init; }
        public string Title { get; init; } = "";
        public decimal Amount { get; init; }
        public string Currency { get; init; } = "";
        public long PipelineId { get; init; }
        public long StageId { get; init; }
        public string StageName { get; init; } = "";
        public int StageSort { get; init; }
        public string StageSemantic { get; init; } = "";
        public long? ContactId { get; init; }
        public string? ContactName { get; init; }
        public string? ContactEmail { get; init; }
        public string? ContactPhone { get; init; }
        public string? ContactLabels { get; init; }
        public long? AssigneeId { get; init; }
        public string? AssigneeName { get; init; }
        public string? Source { get; init; }
        public long? LeadId { get; init; }
        public long? ParentDealId { get; init; }
        public string? Outcome { get; init; }
        public long? LossReasonId { get; init; }
        public string? LossReasonName { get; init; }
        public string? LossReasonNameRu { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public DateTimeOffset StageEnteredAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public long? NextActivityId { get; init; }
        public string? NextActivityType { get; init; }
        public string? NextActivityTitle { get; init; }
        public DateTimeOffset? NextActivityDueAt { get; init; }
        public long? CompanyId { get; init; }
        public string? CompanyName { get; init; }
        public string? FieldsJson { get; init; }

        private ActivityRef? Next => NextActivityId is null ? null : new ActivityRef(NextActivityId.Value, NextActivityType!, NextActivityTitle!, NextActivityDueAt!.Value);

        private UserRef? Assignee => AssigneeId is null ? null : new UserRef(AssigneeId.Value, AssigneeName ?? "");

        public DealCard ToCard() => new(Id, Title, Amount, Currency, PipelineId, StageId,
            ContactId is null ? null : new ContactRef(ContactId.Value, ContactName ?? ""), Assignee, Outcome, Next, StageEnteredAt, CreatedAt)
        {
            Fields = FieldValues.Parse(FieldsJson), Source = Source, ClosedAt = ClosedAt, UpdatedAt = UpdatedAt,
        };

        public DealDto ToDto() => new(Id, Title, Amount, Currency, PipelineId, new StageDto(StageId, StageName, StageSort, StageSemantic),
            ContactId is null ? null : new ContactInfo(ContactId.Value, ContactName ?? "", ContactEmail, ContactPhone) { Labels = Labels.LabelList.Parse(ContactLabels) }, Assignee,
            Source, LeadId, ParentDealId, Outcome, LossReasonId is null ? null : new LossReasonDto(LossReasonId.Value, LossReasonName ?? "", LossReasonNameRu),
            ClosedAt, Next, StageEnteredAt, CreatedAt, UpdatedAt) { CompanyId = CompanyId, CompanyName = CompanyName, Fields = FieldValues.Parse(FieldsJson) };
    }

    public async Task<DealDto?> GetAsync(CurrentUser me, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct); // the card and its extras as of one moment
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"select {Columns} from deals d {Joins} where d.id = @id and {CrmAccess.DealVisible}",
            new { id, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
        return row is null ? null : await CardExtras.WithExtrasAsync(connection, tx, row.ToDto(), me, ct);
    }

    /// <summary>The deal regardless of who asks (after a change that may have taken it out of the caller's sight).</summary>
    public async Task<DealDto?> GetAnyAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"select {Columns} from deals d {Joins} where d.id = @id", new { id }, tx, cancellationToken: ct));
        return row is null ? null : await CardExtras.WithExtrasAsync(connection, tx, row.ToDto(), viewer: null, ct);
    }

    /// <summary>The card regardless of who asks (for pushes, already addressed to the deal's audience).</summary>
    public async Task<DealCard?> CardAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"select {Columns} from deals d {Joins} where d.id = @id", new { id }, cancellationToken: ct));
        return row?.ToCard();
    }

    public sealed record ListQuery(long? PipelineId, long? StageId, long? AssigneeId, string? State, int Limit, string? Cursor);

    public async Task<Page<DealCard>> ListAsync(CurrentUser me, ListQuery q, CancellationToken ct)
    {
        var before = ParseCursor(q.Cursor);
        var sql = new StringBuilder($"select {Columns} from deals d {Joins} where {CrmAccess.DealVisible}");
        if (q.PipelineId is not null)
        {
            sql.Append(" and d.pipeline_id = @pipelineId");
        }
        if (q.StageId is not null)
        {
            sql.Append(" and d.stage_id = @stageId");
        }
        if (q.AssigneeId is not null)
        {
            sql.Append(" and d.assignee_id = @assigneeId");
        }
        sql.Append(q.State switch
        {
            "open" => " and d.closed_at is null",
            "won" => " and d.outcome = 'won'",
            "lost" => " and d.outcome = 'lost'",
            _ => "",
        });
        if (before is not null)
        {
            sql.Append(" and d.id < @before");
        }
        sql.Append(" order by d.id desc limit @take");
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(sql.ToString(), new
        {
            me = me.Id, staff = me.IsStaff, q.PipelineId, q.StageId, q.AssigneeId, before, take = q.Limit + 1,
        }, cancellationToken: ct))).ToList();
        return ToPage(rows, q.Limit, r => r.ToCard(), r => r.Id);
    }

    internal static Page<T> ToPage<TRow, T>(List<TRow> rows, int limit, Func<TRow, T> map, Func<TRow, long> idOf)
    {
        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(rows.Count - 1);
            next = idOf(rows[^1]).ToString(CultureInfo.InvariantCulture);
        }
        return new Page<T>(rows.Select(map).ToList(), next);
    }

    /// <summary>Cursors of CRM lists are the last id seen (lists are newest first).</summary>
    internal static long? ParseCursor(string? cursor) =>
        string.IsNullOrEmpty(cursor) ? null
        : long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
        : throw new BadHttpRequestException("The cursor is not valid.");
}
