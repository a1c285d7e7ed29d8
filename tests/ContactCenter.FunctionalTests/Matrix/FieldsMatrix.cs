using Dapper;
using static ContactCenter.FunctionalTests.Matrix.Expect;

namespace ContactCenter.FunctionalTests.Matrix;

/// <summary>
/// Custom fields and list views (issue #17) in <see cref="RouteMatrix"/>. Definitions: everyone signed in reads them, only
/// admins change them (each cell on a fresh, optional field, so no other row's deal needs a value). Bulk changes of deals:
/// the assigned manager's fresh deal is moved; to other managers it does not exist. Bulk changes of leads answer per id.
/// </summary>
public static class FieldsMatrix
{
    private const string FreshField = "a fresh optional lead field";

    public static readonly IReadOnlyList<RouteRow> Rows =
    [
        Row("GET", "/api/custom-fields/", Signed, _ => Task.FromResult(new Call("/api/custom-fields?entity=deal"))),
        Row("POST", "/api/custom-fields/", AdminOnly,
            c => Task.FromResult(new Call("/api/custom-fields", new { entity = "lead", key = "mx_" + c.Unique.ToLowerInvariant(), label = "Matrix", type = "string" }))),
        Row("PATCH", "/api/custom-fields/{id:long}", AdminOnly, async c => new Call($"/api/custom-fields/{await FreshFieldAsync(c)}", new { label = "Edited" }), FreshField),
        Row("DELETE", "/api/custom-fields/{id:long}", AdminOnly, async c => new Call($"/api/custom-fields/{await FreshFieldAsync(c)}"), FreshField),
        Row("POST", "/api/deals/bulk", Owner, async c => new Call("/api/deals/bulk", new { ids = new[] { await c.S.FreshDealAsync() }, stageId = await SecondStageAsync(c) }),
            "a fresh deal of the assigned manager, moved"),
        // Per-id outcomes: everyone signed in gets 200; to a manager who does not see the lead it comes back notFound, unchanged.
        Row("POST", "/api/leads/bulk", Signed, async c => new Call("/api/leads/bulk", new { ids = new[] { await c.S.FreshLeadAsync() }, action = "status", status = "in_work" }),
            "a fresh lead of the assigned manager, put in work (notFound in the answer to whoever does not see it)"),
    ];

    private static RouteRow Row(string method, string pattern, Expect expect, Func<Cell, Task<Call>> build, string @case = "") => new(method, pattern, expect, build, @case);

    private static async Task<long> FreshFieldAsync(Cell c)
    {
        await using var db = c.S.Fixture.Db();
        return await db.ExecuteScalarAsync<long>(
            "insert into custom_fields (entity, key, label, type) values ('lead', @key, 'Matrix', 'string') returning id", new { key = "mxf_" + c.Unique.ToLowerInvariant() });
    }

    private static async Task<long> SecondStageAsync(Cell c)
    {
        await using var db = c.S.Fixture.Db();
        return await db.ExecuteScalarAsync<long>(
            "select id from stages where pipeline_id = @p and semantic = 'open' order by sort, id offset 1 limit 1", new { p = c.S.DefaultPipeline });
    }
}
