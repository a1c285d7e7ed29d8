using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Crm.Tests;

/// <summary>Helpers for automation tests: rules through the admin API, and waiting until due jobs have run.</summary>
public static class Automation
{
    public static async Task<long> RuleAsync(this CrmFixture fixture, object rule)
    {
        using var admin = fixture.Admin();
        return (await (await admin.PostAsJsonAsync("/api/automation/rules", rule)).OkJsonAsync(HttpStatusCode.Created)).Id();
    }

    /// <summary>Waits until no job is due at the fake clock's now (pending or running).</summary>
    public static Task IdleAsync(this CrmFixture fixture) => HttpJson.EventuallyAsync(async () =>
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>(
            "select count(*) from automation_jobs where state in ('queued', 'running') or (state = 'pending' and due_at <= @now)",
            new { now = fixture.Time.GetUtcNow().UtcDateTime }) == 0;
    }, "automation jobs to finish");

    public static async Task<List<JsonObject>> AutomationEntriesAsync(this CrmFixture fixture, string subjectType, long id)
    {
        using var admin = fixture.Admin();
        var page = await (await admin.GetAsync($"/api/{subjectType}s/{id}/timeline?limit=200")).OkJsonAsync();
        return page["items"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "automation").Select(e => e!.AsObject()).Reverse().ToList();
    }

    public static async Task<long> ScalarAsync(this CrmFixture fixture, string sql, object? args = null)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>(sql, args);
    }
}
