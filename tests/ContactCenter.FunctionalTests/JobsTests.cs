using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>Hangfire on the app's PostgreSQL: the job server, the recurring upload sweep it runs, and the admins' view of both.</summary>
public sealed class JobsTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_admin_sees_this_nodes_job_server_and_the_recurring_sweep()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);

        var overview = (await admin.GetFromJsonAsync<JsonObject>("/api/admin/jobs"))!;

        var server = Assert.Single(overview["servers"]!.AsArray())!;
        Assert.Equal(["automation", "default"], server["queues"]!.AsArray().Select(q => q!.GetValue<string>()).Order());
        Assert.Equal(2, server["workers"]!.GetValue<int>());
        var sweep = Assert.Single(overview["recurring"]!.AsArray(), r => r!["id"]!.GetValue<string>() == "sweep-unsent-uploads")!;
        Assert.Equal("17 * * * *", sweep["cron"]!.GetValue<string>());
        Assert.NotNull(sweep["nextExecution"]);
    }

    [Fact]
    public async Task The_recurring_sweep_runs_on_the_job_server_and_removes_an_upload_no_reply_took()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var conversationId = (await fixture.IngestAsync(channel, "j-1", "customer-j", "hello"))["conversationId"]!.GetValue<long>();
        using var admin = fixture.App.Http(fixture.AdminToken);
        var abandoned = await AppFixture.UploadIdAsync(admin, conversationId, "draft.txt", "draft"u8.ToArray());
        var kept = await AppFixture.UploadIdAsync(admin, conversationId, "fresh.txt", "fresh"u8.ToArray());
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update attachments set created_at = now() - interval '2 days' where id = @abandoned", new { abandoned });
        }

        fixture.App.Services.GetRequiredService<IRecurringJobManager>().Trigger("sweep-unsent-uploads");

        await HttpJson.EventuallyAsync(async () => (await admin.GetAsync($"/api/attachments/{abandoned}")).StatusCode == HttpStatusCode.NotFound,
            "the sweep to run on the job server", TimeSpan.FromSeconds(30));
        Assert.Equal("fresh"u8.ToArray(), await admin.GetByteArrayAsync($"/api/attachments/{kept}"));
        JsonNode sweep = null!;
        await HttpJson.EventuallyAsync(async () =>
        {
            var overview = (await admin.GetFromJsonAsync<JsonObject>("/api/admin/jobs"))!;
            sweep = overview["recurring"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "sweep-unsent-uploads")!;
            return sweep["lastJobState"]?.GetValue<string>() == "Succeeded";
        }, "the sweep's state to be recorded", TimeSpan.FromSeconds(30));
        Assert.NotNull(sweep["lastExecution"]);
    }
}
