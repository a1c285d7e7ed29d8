using System.Net;
using Dapper;

namespace ContactCenter.Crm.Tests;

/// <summary>Bulk changes: all or nothing, and a push for each deal.</summary>
public sealed partial class ListViewTests
{
    [Fact]
    public async Task Bulk_changes_all_or_nothing_and_pushes_each_deal()
    {
        var (admin, m1, m2, m1Id, m2Id) = await PeopleAsync();
        using var _a = admin; using var _1 = m1; using var _2 = m2;
        var mine = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add((await (await m1.PostJsonAsync("/api/deals", new { title = $"Mine {i}", amount = 10 })).OkJsonAsync(HttpStatusCode.Created)).Id());
        }
        var theirs = (await (await m2.PostJsonAsync("/api/deals", new { title = "Theirs" })).OkJsonAsync(HttpStatusCode.Created)).Id();
        var proposal = await fixture.StageIdAsync("Proposal");
        await using var db = fixture.Db();
        async Task<string> StateAsync() => string.Join(";", await db.QueryAsync<string>(
            "select id || ':' || stage_id || ':' || coalesce(assignee_id, 0) || ':' || coalesce(outcome, '') from deals order by id"));
        var before = await StateAsync();

        // One deal the caller does not see: 404, nothing changed (and nothing said about that deal).
        await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine.Append(theirs), stageId = proposal })).ProblemAsync(HttpStatusCode.NotFound);
        await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine.Append(9_999_999), stageId = proposal })).ProblemAsync(HttpStatusCode.NotFound);
        await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, stageId = proposal, assigneeId = m1Id })).ProblemBodyAsync(HttpStatusCode.BadRequest);
        await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = Array.Empty<long>(), stageId = proposal })).ProblemBodyAsync(HttpStatusCode.BadRequest);
        await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, close = new { won = false } })).ProblemBodyAsync(HttpStatusCode.BadRequest);
        await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, stageId = await fixture.StageIdAsync("Won") })).ProblemBodyAsync(HttpStatusCode.BadRequest);
        await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = "1,2", stageId = proposal })).ProblemBodyAsync(HttpStatusCode.BadRequest);
        // The body is a typed record: a member it does not take, in the body or in close, or an assignee of the wrong type,
        // is a 400 naming the field (such a member was ignored and the rest applied).
        Assert.Contains("\"stage\":", (await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, stage = proposal, stageId = proposal }))
            .ProblemBodyAsync(HttpStatusCode.BadRequest)));
        Assert.Contains("\"close.reason\":", (await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, close = new { won = false, lossReasonId = 1, reason = "x" } }))
            .ProblemBodyAsync(HttpStatusCode.BadRequest)));
        var wrongAssignee = await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, assigneeId = "m1" })).ProblemBodyAsync(HttpStatusCode.BadRequest);
        Assert.True(wrongAssignee.Contains("\"assigneeId\":", StringComparison.Ordinal), wrongAssignee);
        await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = new object?[] { mine[0], null }, stageId = proposal })).ProblemBodyAsync(HttpStatusCode.BadRequest);
        await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, close = true })).ProblemBodyAsync(HttpStatusCode.BadRequest);
        // Numbers are numbers ("3" is not read as 3), and members that contradict each other are refused, not chosen between.
        Assert.Contains("\"stageId\":", await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, stageId = proposal.ToString() })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Contains("\"ids\":", await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine.Select(i => i.ToString()), stageId = proposal })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Contains("\"close.lossReasonId\":", await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, close = new { won = false, lossReasonId = "1" } })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Contains("\"close\":", await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, close = new { won = true, outcome = "lost" } })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Contains("\"close.lossReasonId\":", await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, close = new { won = true, lossReasonId = 1 } })).ProblemBodyAsync(HttpStatusCode.BadRequest));
        Assert.Equal(before, await StateAsync());

        var log = new EventLog();
        await using var hub = await fixture.HubAsync(fixture.AdminToken, log);
        var moved = await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, stageId = proposal })).OkJsonAsync();
        Assert.Equal(3, moved["count"]!.GetValue<int>());
        Assert.Equal(3, moved["changed"]!.GetValue<int>());
        foreach (var id in mine)
        {
            await log.WaitForAsync("dealUpdated", p => p["deal"]?["id"]?.GetValue<long>() == id || p["id"]?.GetValue<long>() == id);
        }
        Assert.Equal(3, await db.ExecuteScalarAsync<long>("select count(*) from deal_stage_history where stage_id = @proposal", new { proposal }));
        // The same move again names three deals and changes none (the list's report said "3 changed").
        var again = await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, stageId = proposal })).OkJsonAsync();
        Assert.Equal((3, 0), (again["count"]!.GetValue<int>(), again["changed"]!.GetValue<int>()));
        Assert.Equal(3, await db.ExecuteScalarAsync<long>("select count(*) from deal_stage_history where stage_id = @proposal", new { proposal }));

        // A closed one makes the whole move a 409.
        await (await m1.PostJsonAsync($"/api/deals/{mine[0]}/close", new { outcome = "won" })).OkJsonAsync();
        var beforeConflict = await StateAsync();
        await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine, stageId = await fixture.StageIdAsync("Negotiation") })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(beforeConflict, await StateAsync());

        var lost = await (await m1.PostJsonAsync("/api/deals/bulk", new { ids = mine.Skip(1), close = new { won = false, lossReasonId = 1 } })).OkJsonAsync();
        Assert.Equal(2, lost["count"]!.GetValue<int>());
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("select count(*) from deals where outcome = 'lost' and loss_reason_id = 1"));

        var assigned = await (await admin.PostJsonAsync("/api/deals/bulk", new { ids = mine.Append(theirs), assigneeId = m2Id })).OkJsonAsync();
        Assert.Equal((4, 3), (assigned["count"]!.GetValue<int>(), assigned["changed"]!.GetValue<int>())); // theirs was m2's already
        Assert.Equal(4, await db.ExecuteScalarAsync<long>("select count(*) from deals where assignee_id = @m2Id", new { m2Id }));
        Assert.Equal(4, (await (await m2.GetAsync("/api/deals")).OkJsonAsync())["items"]!.AsArray().Count);
    }
}
