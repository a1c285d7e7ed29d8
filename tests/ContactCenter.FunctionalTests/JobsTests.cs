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

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await admin.GetAsync($"/api/attachments/{abandoned}")).StatusCode != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, "The sweep did not run on the job server.");
            await Task.Delay(200);
        }
        Assert.Equal("fresh"u8.ToArray(), await admin.GetByteArrayAsync($"/api/attachments/{kept}"));
        JsonNode sweep;
        do
        {
            var overview = (await admin.GetFromJsonAsync<JsonObject>("/api/admin/jobs"))!;
            sweep = overview["recurring"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "sweep-unsent-uploads")!;
            Assert.True(DateTime.UtcNow < deadline, "The sweep's state was not recorded.");
        }
        while (sweep["lastJobState"]?.GetValue<string>() != "Succeeded" && await Pause());
        Assert.NotNull(sweep["lastExecution"]);
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(200);
        return true;
    }
}
