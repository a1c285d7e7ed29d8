using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Fields;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The deals list view: `GET /api/deals` with filters, a sort and keyset pages, or every matching row as CSV. Visibility is
/// the board's (<see cref="CrmAccess.DealVisible"/>); `field.key=` filters use the GIN index on `deals.fields`.
/// </summary>
public sealed class DealListQuery(NpgsqlDataSource db, TimeProvider clock) : IListQuery<DealListQuery.Filter, DealCard>
{
    public sealed record Filter(
        long? PipelineId, long? StageId, long? AssigneeId, bool Unassigned, string? State, string? Source, decimal? MinAmount, decimal? MaxAmount,
        DateTime? CreatedFrom, DateTime? CreatedTo, DateTime? ClosedFrom, DateTime? ClosedTo, bool? Overdue, string? Fields,
        ListSort Sort, (object Key, long Id)? After, int Limit);

    public async Task<(Filter? Filter, Validation Errors, IReadOnlyList<CustomField> Definitions)> ReadAsync(HttpRequest request, CurrentUser me, CancellationToken ct)
    {
        var q = new ListQueryReader(request.Query);
        var definitions = await FieldValues.DefinitionsAsync(db, "deal", ct);
        var (assignee, unassigned) = q.Assignee("assigneeId", me.Id);
        var state = q.Text("state");
        if (state is not (null or "open" or "won" or "lost"))
        {
            q.Errors.Add("state", "state is open, won or lost.");
        }
        var (sort, after) = ListSql.ReadSort(q, deals: true, "sort is id, created, updated, amount or closed, with - before it (or :desc after it) for descending.");
        var filter = new Filter(q.Long("pipelineId"), q.Long("stageId"), assignee, unassigned, state, q.Text("source"), q.Decimal("minAmount"), q.Decimal("maxAmount"),
            q.Date("createdFrom", end: false), q.Date("createdTo", end: true), q.Date("closedFrom", end: false), q.Date("closedTo", end: true), q.Bool("overdue"),
            q.Fields(definitions), sort!, after, ListSql.ReadLimit(q));
        return (q.Errors.HasErrors ? null : filter, q.Errors, definitions);
    }

    private ListSql Build(CurrentUser me, Filter f)
    {
        var sql = new ListSql($"select {DealQueries.Columns} from deals d {DealQueries.Joins}", "deals d", CrmAccess.DealVisibleSet, me, "d");
        sql.And("d.pipeline_id = @pipelineId", "pipelineId", f.PipelineId);
        sql.And("d.stage_id = @stageId", "stageId", f.StageId);
        sql.And("d.assignee_id = @assigneeId", "assigneeId", f.AssigneeId);
        if (f.Unassigned)
        {
            sql.And("d.assignee_id is null");
        }
        switch (f.State)
        {
            case "open":
                sql.And("d.closed_at is null");
                break;
            case "won":
                sql.And("d.outcome = 'won'");
                break;
            case "lost":
                sql.And("d.outcome = 'lost'");
                break;
        }
        sql.And("d.source = @source", "source", f.Source);
        sql.And("d.amount >= @minAmount", "minAmount", f.MinAmount);
        sql.And("d.amount <= @maxAmount", "maxAmount", f.MaxAmount);
        sql.And("d.created_at >= @createdFrom", "createdFrom", f.CreatedFrom);
        sql.And("d.created_at < @createdTo", "createdTo", f.CreatedTo);
        sql.And("d.closed_at >= @closedFrom", "closedFrom", f.ClosedFrom);
        sql.And("d.closed_at < @closedTo", "closedTo", f.ClosedTo);
        sql.And("d.fields @> @fields::jsonb", "fields", f.Fields);
        sql.Overdue(f.Overdue, "deal", clock.GetUtcNow());
        return sql;
    }

    public async Task<Page<DealCard>> PageAsync(CurrentUser me, Filter f, CancellationToken ct)
    {
        var rows = await Build(me, f).PageAsync<DealQueries.Row>(db, f.Sort, f.After, f.Limit, ct);
        var next = ListSql.NextCursor(rows, f.Sort, f.Limit, r => f.Sort.Key switch
        {
            "amount" => r.Amount,
            "updated" => r.UpdatedAt,
            "closed" => r.ClosedAt ?? DateTimeOffset.UnixEpoch,
            _ => (object)r.CreatedAt,
        }, r => r.Id);
        return new Page<DealCard>(rows.Select(r => r.ToCard()).ToList(), next);
    }

    /// <summary>Every matching row (no pages), streamed from the database to the response as it is read.</summary>
    public async Task WriteCsvAsync(CurrentUser me, Filter f, IReadOnlyList<CustomField> definitions, Stream output, CancellationToken ct)
    {
        var (sql, args) = Build(me, f).All(f.Sort);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var csv = new CsvText(output);
        await csv.RowAsync(["Id", "Title", "Amount", "Currency", "Stage", "Outcome", "Contact", "Email", "Phone", "Assignee", "Source", "Created", "Closed", "Updated",
            .. definitions.Select(d => d.Label)]);
        await foreach (var r in connection.QueryUnbufferedAsync<DealQueries.Row>(sql, args).WithCancellation(ct))
        {
            var values = FieldValues.Parse(r.FieldsJson);
            await csv.RowAsync([r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Title, CsvText.Money(r.Amount), r.Currency, r.StageName, r.Outcome,
                r.ContactName, r.ContactEmail, r.ContactPhone, r.AssigneeName, r.Source, CsvText.Date(r.CreatedAt), CsvText.Date(r.ClosedAt), CsvText.Date(r.UpdatedAt),
                .. definitions.Select(d => values.TryGetValue(d.Key, out var v) ? FieldType.All[d.Type].Print(v) : "")]);
        }
    }
}
