using System.Globalization;
using System.Text;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Fields;

/// <summary>The leads list view, as <see cref="DealListQuery"/>: filters, sort (created or updated), keyset pages or CSV.</summary>
public sealed class LeadListQuery(NpgsqlDataSource db, TimeProvider clock)
{
    public sealed record Filter(
        string? Status, long? AssigneeId, bool Unassigned, string? Source, DateTime? CreatedFrom, DateTime? CreatedTo, bool? Overdue, string? Fields,
        ListSort Sort, (object Key, long Id)? After, int Limit);

    public async Task<(Filter? Filter, Validation Errors, IReadOnlyList<CustomField> Definitions)> ReadAsync(HttpRequest request, CurrentUser me, CancellationToken ct)
    {
        var q = new ListQueryReader(request.Query);
        IReadOnlyList<CustomField> definitions;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            definitions = await FieldValues.DefinitionsAsync(connection, null, "lead", ct);
        }
        var status = q.Text("status");
        if (status is not (null or "new" or "in_work" or "converted" or "junk"))
        {
            q.Errors.Add("status", "status is new, in_work, converted or junk.");
        }
        var (assignee, unassigned) = q.Assignee("assigneeId", me.Id);
        var sort = ListSort.Parse(q.Text("sort"), "l", deals: false);
        if (sort is null)
        {
            q.Errors.Add("sort", "sort is id, created or updated, with - before it (or :desc after it) for descending.");
        }
        var cursor = q.Text("cursor", 500);
        var after = cursor is null || sort is null ? null : sort.ReadCursor(cursor);
        if (cursor is not null && after is null)
        {
            q.Errors.Add("cursor", "The cursor is not valid (it belongs to one sort).");
        }
        var filter = new Filter(status, assignee, unassigned, q.Text("source"), q.Date("createdFrom", end: false), q.Date("createdTo", end: true), q.Bool("overdue"),
            q.Fields(definitions), sort!, after, PipelinesApi.Limit(q.Long("limit") is { } l ? (int)Math.Min(l, int.MaxValue) : null));
        return (q.Errors.HasErrors ? null : filter, q.Errors, definitions);
    }

    private (string Sql, DynamicParameters Args) Build(CurrentUser me, Filter f, bool page)
    {
        var sql = new StringBuilder($"{LeadQueries.Select} where {CrmAccess.LeadVisible}");
        var args = new DynamicParameters(new { me = me.Id, staff = me.IsStaff });
        void And(string condition, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" and ").Append(condition);
                args.Add(name, value);
            }
        }
        And("l.status = @status", "status", f.Status);
        And("l.assignee_id = @assigneeId", "assigneeId", f.AssigneeId);
        if (f.Unassigned)
        {
            sql.Append(" and l.assignee_id is null");
        }
        And("l.source = @source", "source", f.Source);
        And("l.created_at >= @createdFrom", "createdFrom", f.CreatedFrom);
        And("l.created_at < @createdTo", "createdTo", f.CreatedTo);
        And("l.fields @> @fields::jsonb", "fields", f.Fields);
        if (f.Overdue is { } overdue)
        {
            sql.Append(overdue ? " and " : " and not ").Append("""
                exists (select 1 from activities oa where oa.subject_type = 'lead' and oa.subject_id = l.id and oa.completed_at is null and oa.due_at < @now)
                """);
            args.Add("now", clock.GetUtcNow().UtcDateTime);
        }
        if (page && f.After is { } after)
        {
            sql.Append(f.Sort.After("l.id"));
            args.Add("afterKey", after.Key);
            args.Add("afterId", after.Id);
        }
        sql.Append(f.Sort.OrderBy("l.id"));
        if (page)
        {
            sql.Append(" limit @take");
            args.Add("take", f.Limit + 1);
        }
        return (sql.ToString(), args);
    }

    public async Task<Page<LeadDto>> PageAsync(CurrentUser me, Filter f, CancellationToken ct)
    {
        var (sql, args) = Build(me, f, page: true);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<LeadQueries.Row>(new CommandDefinition(sql, args, cancellationToken: ct))).ToList();
        string? next = null;
        if (rows.Count > f.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            var last = rows[^1];
            next = f.Sort.Cursor(f.Sort.Key == "updated" ? last.UpdatedAt : last.CreatedAt, last.Id);
        }
        return new Page<LeadDto>(rows.Select(r => r.ToDto()).ToList(), next);
    }

    public async Task WriteCsvAsync(CurrentUser me, Filter f, IReadOnlyList<CustomField> definitions, Stream output, CancellationToken ct)
    {
        var (sql, args) = Build(me, f, page: false);
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
