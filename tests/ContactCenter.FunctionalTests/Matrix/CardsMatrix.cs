using Dapper;
using static ContactCenter.FunctionalTests.Matrix.Expect;

namespace ContactCenter.FunctionalTests.Matrix;

/// <summary>
/// The CRM cards' rows of <see cref="RouteMatrix"/> (issue #17): lead statuses and junk reasons (everyone reads, staff
/// edit), the pipelines' overdue counters, starting an outbound conversation, and the card parts of existing routes.
/// Rows that change their target work on a fresh one per cell.
/// </summary>
public static class CardsMatrix
{
    private const string FreshStatus = "a fresh lead status";
    private const string FreshReason = "a fresh junk reason";

    public static readonly IReadOnlyList<RouteRow> Rows =
    [
        Row("GET", "/api/lead-statuses/", Signed, _ => Url("/api/lead-statuses")),
        Row("POST", "/api/lead-statuses/", Staff, c => Send("/api/lead-statuses", new { name = "mx-" + c.Unique, nameRu = "Матрица" })),
        Row("PATCH", "/api/lead-statuses/{id:long}", Staff, async c => new Call($"/api/lead-statuses/{await FreshAsync(c, "lead_statuses")}", new { sort = 7 }), FreshStatus),
        Row("DELETE", "/api/lead-statuses/{id:long}", Staff, async c => new Call($"/api/lead-statuses/{await FreshAsync(c, "lead_statuses")}"), FreshStatus),
        Row("GET", "/api/junk-reasons/", Signed, _ => Url("/api/junk-reasons")),
        Row("POST", "/api/junk-reasons/", Staff, c => Send("/api/junk-reasons", new { name = "mx-" + c.Unique })),
        Row("PATCH", "/api/junk-reasons/{id:long}", Staff, async c => new Call($"/api/junk-reasons/{await FreshAsync(c, "junk_reasons")}", new { name = "mx-r-" + c.Unique }), FreshReason),
        Row("DELETE", "/api/junk-reasons/{id:long}", Staff, async c => new Call($"/api/junk-reasons/{await FreshAsync(c, "junk_reasons")}"), FreshReason),
        Row("GET", "/api/pipelines/overdue", Signed, _ => Url("/api/pipelines/overdue")),

        // Starting a conversation: the contact must be one the caller sees, the channel one they may use.
        Row("POST", "/api/conversations", Owner,
            async c => new Call("/api/conversations", new { contactId = await c.S.FreshContactAsync(taken: true), channelId = c.S.ChannelA, text = "matrix" }),
            "a fresh contact of the assigned manager, on channel A"),
        Row("POST", "/api/conversations", Members,
            async c => new Call("/api/conversations", new { contactId = await c.S.FreshContactAsync(taken: false), channelId = c.S.ChannelA, text = "matrix" }),
            "a fresh contact of an open conversation, on channel A"),

        // The files of a card's conversations.
        Row("GET", "/api/deals/{id:long}/files", Owner, c => Url($"/api/deals/{c.S.Deal}/files"), "the assigned manager's deal"),
        Row("GET", "/api/leads/{id:long}/files", Owner, c => Url($"/api/leads/{c.S.Lead}/files"), "the assigned manager's lead"),
        Row("GET", "/api/leads/{id:long}/files", Members, c => Url($"/api/leads/{c.S.OpenLead}/files"), "the lead of channel A's unassigned conversation"),

        // The card parts of existing routes.
        Row("POST", "/api/leads/{id:long}/junk", Owner, async c => new Call($"/api/leads/{await c.S.FreshLeadAsync()}/junk", new { junkReasonId = await ReasonAsync(c) }),
            "a fresh lead of the assigned manager, with a junk reason from the list"),
        Row("POST", "/api/deals/", Signed, _ => Send("/api/deals", new { title = "Card deal", contact = new { name = "Typed in" }, products = new[] { new { name = "Box", price = 10, quantity = 2, discount = 0 } }, amountFromProducts = true }),
            "a contact typed in and products"),
    ];

    private static RouteRow Row(string method, string pattern, Expect expect, Func<Cell, Task<Call>> build, string @case = "") => new(method, pattern, expect, build, @case);

    private static Task<Call> Url(string url) => Task.FromResult(new Call(url));

    private static Task<Call> Send(string url, object body) => Task.FromResult(new Call(url, body));

    /// <summary>A fresh row of one of the two catalogs (fixed table names, never from input).</summary>
    private static async Task<long> FreshAsync(Cell c, string table)
    {
        await using var db = c.S.Fixture.Db();
        return await db.ExecuteScalarAsync<long>(table == "lead_statuses"
            ? "insert into lead_statuses (name) values (@name) returning id"
            : "insert into junk_reasons (name) values (@name) returning id", new { name = "mx-" + c.Unique });
    }

    private static async Task<long> ReasonAsync(Cell c)
    {
        await using var db = c.S.Fixture.Db();
        return await db.ExecuteScalarAsync<long>("select id from junk_reasons where archived_at is null order by id limit 1");
    }
}
