using System.Text;
using ContactCenter.Api.Auth;
using Dapper;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// What the deal and lead list views (<see cref="DealListQuery"/>, <see cref="LeadListQuery"/>) build alike: the sort and
/// keyset cursor read from the query string, the filter conditions (each with its parameter, only when the filter is given),
/// the overdue-activity condition, and the keyset page (order by the sort key then id, one row more than the page to know
/// whether there is a next one). Conditions and names are the callers' constants; every value is a parameter.
/// </summary>
internal sealed class ListSql(string select, string table, string managerVisible, CurrentUser me, string alias)
{
    /// <summary>What the caller may see (staff: everything) and then the filters, each with " and " before it.</summary>
    private readonly StringBuilder sql = new(me.IsStaff ? "true" : managerVisible);

    private readonly DynamicParameters args = new(new { me = me.Id, staff = me.IsStaff });

    /// <summary>Reads `sort` and `cursor`; errors go to the reader's list.</summary>
    public static (ListSort? Sort, (object Key, long Id)? After) ReadSort(ListQueryReader q, bool deals, string sortHelp)
    {
        var sort = ListSort.Parse(q.Text("sort"), deals ? "d" : "l", deals);
        if (sort is null)
        {
            q.Errors.Add("sort", sortHelp);
        }
        var cursor = q.Text("cursor", 500);
        var after = cursor is null || sort is null ? null : sort.ReadCursor(cursor);
        if (cursor is not null && after is null)
        {
            q.Errors.Add("cursor", "The cursor is not valid (it belongs to one sort).");
        }
        return (sort, after);
    }

    /// <summary>The page size (`limit`, within the API's bounds).</summary>
    public static int ReadLimit(ListQueryReader q) => PipelinesApi.Limit(q.Long("limit") is { } l ? (int)Math.Min(l, int.MaxValue) : null);

    /// <summary>Adds "and <paramref name="condition"/>" with its parameter, when the filter has a value.</summary>
    public void And(string condition, string name, object? value)
    {
        if (value is not null)
        {
            sql.Append(" and ").Append(condition);
            args.Add(name, value);
        }
    }

    /// <summary>Adds a condition that takes no parameter.</summary>
    public void And(string condition) => sql.Append(" and ").Append(condition);

    /// <summary>Only rows with (or, false: without) an open activity past its due time.</summary>
    public void Overdue(bool? overdue, string subjectType, DateTimeOffset now)
    {
        if (overdue is not { } wanted)
        {
            return;
        }
        sql.Append(wanted ? " and " : " and not ").Append($"""
            exists (select 1 from activities oa where oa.subject_type = '{subjectType}' and oa.subject_id = {alias}.id and oa.completed_at is null and oa.due_at < @now)
            """);
        args.Add("now", now.UtcDateTime);
    }

    /// <summary>Every matching row in the sort's order (the CSV export), one statement.</summary>
    public (string Sql, DynamicParameters Args) All(ListSort sort) => ($"{select} where {sql}{sort.OrderBy(alias + ".id")}", args);

    /// <summary>
    /// A keyset page: one row more than <paramref name="limit"/> from the keyset start, in the sort's order. Two statements in
    /// one snapshot: the page's ids, planned with their values, then the page's rows by id, joined with their names,
    /// activities and labels under a generic plan.
    /// </summary>
    /// <remarks>
    /// One statement planned with its values planned the joins too, on every call: 5.4 ms of planning for 2.2 ms of
    /// execution per page in the benchmark's pg_stat_statements (admin, 100,000 deals), 5.6 against 0.7 + 0.8 ms split
    /// (pgbench, one client, prepared with parameters; docs/benchmarks.md, session 40). The ids need their values (below);
    /// reading 51 rows by primary key does not.
    /// </remarks>
    public async Task<List<TRow>> PageAsync<TRow>(Npgsql.NpgsqlDataSource db, ListSort sort, (object Key, long Id)? after, int limit, CancellationToken ct)
    {
        var id = alias + ".id";
        if (after is { } start)
        {
            sql.Append(sort.After(id));
            args.Add("afterKey", start.Key);
            args.Add("afterId", start.Id);
        }
        args.Add("take", limit + 1);
        var direction = sort.Descending ? "desc" : "asc";
        // Staff: the sort index walked until the page is full (everything is visible, so it fills early), planned with the
        // values: the generic plan of a filtered, amount-sorted page bitmapped the whole amount range and sorted it (266 ms
        // at 100,000 deals, against 28 ms). A manager's ids are chosen inside a fence (offset 0: PostgreSQL plans the
        // subquery alone, without the order and the limit), so they are read from the manager's visible set ANDed with the
        // filters' indexes. Without it the planner walked the sort index across every colleague's deal whenever it guessed
        // the page would fill early: with filters that match none of the manager's deals, the whole amount range (89,000
        // rows, ~490 ms); in the fence 1.5 ms, and 8 ms for a manager with 3,000 matches.
        var ids = me.IsStaff
            ? $"select {id} from {table} where {sql}{sort.OrderBy(id)} limit @take"
            : $"""
              select fx.id from (select {id}, {sort.Column} as sort_key from {table} where {sql} offset 0) fx
              order by fx.sort_key {direction}, fx.id {direction} limit @take
              """;
        await using var connection = await db.OpenConnectionAsync(ct);
        // One snapshot: the rows are read as the ids were chosen. A sort key (amount, updated) or an assignee changed by a
        // colleague between the two reads would otherwise reorder the page against its ids (and the cursor would be taken
        // from a row that is no longer the page's last), or show a row the ids no longer match.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var page = (await connection.QueryAsync<long>(new CommandDefinition(
            "set local plan_cache_mode = force_custom_plan;\n" + ids, args, tx, cancellationToken: ct))).ToArray();
        var rows = page.Length == 0 ? [] : (await connection.QueryAsync<TRow>(new CommandDefinition(
            $"set local plan_cache_mode = force_generic_plan;\n{select} where {id} = any(@page){sort.OrderBy(id)}", new { page }, tx, cancellationToken: ct))).ToList();
        await tx.CommitAsync(ct);
        return rows;
    }

    /// <summary>Drops the extra row a page read and returns the next page's cursor, or null on the last page.</summary>
    public static string? NextCursor<TRow>(List<TRow> rows, ListSort sort, int limit, Func<TRow, object> key, Func<TRow, long> id)
    {
        if (rows.Count <= limit)
        {
            return null;
        }
        rows.RemoveAt(rows.Count - 1);
        var last = rows[^1];
        return sort.Cursor(key(last), id(last));
    }
}
