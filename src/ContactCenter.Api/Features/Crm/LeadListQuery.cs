using System.Globalization;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Fields;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>The leads list view, as <see cref="DealListQuery"/>: filters, sort (created or updated), keyset pages or CSV.</summary>
public sealed class LeadListQuery(NpgsqlDataSource db, TimeProvider clock) : IListQuery<LeadListQuery.Filter, LeadDto>
{
    public sealed record Filter(
        string? Status, long? AssigneeId, bool Unassigned, string? Source, DateTime? CreatedFrom, DateTime? CreatedTo, bool? Overdue, string? Fields,
        ListSort Sort, (object Key, long Id)? After, int Limit);

    public async Task<(Filter? Filter, Validation Errors, IReadOnlyList<CustomField> Definitions)> ReadAsync(HttpRequest request, CurrentUser me, CancellationToken ct)
    {
        var q = new ListQueryReader(request.Query);
        var definitions = await FieldValues.DefinitionsAsync(db, "lead", ct);
        var status = q.Text("status");
        if (status is not (null or "new" or "in_work" or "converted" or "junk"))
        {
            q.Errors.Add("status", "status is new, in_work, converted or junk.");
        }
        var (assignee, unassigned) = q.Assignee("assigneeId", me.Id);
        var (sort, after) = ListSql.ReadSort(q, deals: false, "sort is id, created or updated, with - before it (or :desc after it) for descending.");
        var filter = new Filter(status, assignee, unassigned, q.Text("source"), q.Date("createdFrom", end: false), q.Date("createdTo", end: true), q.Bool("overdue"),
            q.Fields(definitions), sort!, after, ListSql.ReadLimit(q));
        return (q.Errors.HasErrors ? null : filter, q.Errors, definitions);
    }

    private ListSql Build(CurrentUser me, Filter f)
    {
        var sql = new ListSql(LeadQueries.Select, "leads l", CrmAccess.LeadVisibleSet, me, "l");
        sql.And("l.status = @status", "status", f.Status);
        sql.And("l.assignee_id = @assigneeId", "assigneeId", f.AssigneeId);
        if (f.Unassigned)
        {
            sql.And("l.assignee_id is null");
        }
        sql.And("l.source = @source", "source", f.Source);
        sql.And("l.created_at >= @createdFrom", "createdFrom", f.CreatedFrom);
        sql.And("l.created_at < @createdTo", "createdTo", f.CreatedTo);
        sql.And("l.fields @> @fields::jsonb", "fields", f.Fields);
        sql.Overdue(f.Overdue, "lead", clock.GetUtcNow());
        return sql;
    }

    public async Task<Page<LeadDto>> PageAsync(CurrentUser me, Filter f, CancellationToken ct)
    {
        var rows = await Build(me, f).PageAsync<LeadQueries.Row>(db, f.Sort, f.After, f.Limit, ct);
        var next = ListSql.NextCursor(rows, f.Sort, f.Limit, r => f.Sort.Key == "updated" ? r.UpdatedAt : r.CreatedAt, r => r.Id);
        return new Page<LeadDto>(rows.Select(r => r.ToDto()).ToList(), next);
    }

    public async Task WriteCsvAsync(CurrentUser me, Filter f, IReadOnlyList<CustomField> definitions, Stream output, CancellationToken ct)
    {
        var (sql, args) = Build(me, f).All(f.Sort);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var csv = new CsvText(output);
        await csv.RowAsync(["Id", "Title", "Status", "Contact", "Email", "Phone", "Assignee", "Source", "Created", "Updated", .. definitions.Select(d => d.Label)]);
        await foreach (var r in connection.QueryUnbufferedAsync<LeadQueries.Row>(sql, args).WithCancellation(ct))
        {
            var values = FieldValues.Parse(r.FieldsJson);
            await csv.RowAsync([r.Id.ToString(CultureInfo.InvariantCulture), r.Title, r.Status, r.ContactName, r.ContactEmail, r.ContactPhone, r.AssigneeName, r.Source,
                CsvText.Date(r.CreatedAt), CsvText.Date(r.UpdatedAt), .. definitions.Select(d => values.TryGetValue(d.Key, out var v) ? FieldType.All[d.Type].Print(v) : "")]);
        }
    }
}
