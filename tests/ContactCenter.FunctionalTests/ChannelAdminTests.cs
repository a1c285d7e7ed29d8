using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Deleting, archiving and the members of channels (issue #18): an empty channel is deleted, one with conversations is
/// refused with an offer to archive and nothing changes; an archived channel is off and hidden; members are set in one
/// request; only admins may do any of it, every change is in the audit log, and no answer carries a secret.
/// </summary>
public sealed class ChannelAdminTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_empty_channel_is_deleted_with_204_and_the_deletion_is_audited()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var channel = await fixture.CreateApiChannelAsync(name: "Empty");
        await fixture.CreateUserAsync("empty-member", "manager", channel.Id);
        Assert.Equal(1, await CountAsync("select count(*) from channel_members where channel_id = @id", channel.Id));

        var response = await admin.DeleteAsync($"/api/channels/{channel.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/channels/{channel.Id}")).StatusCode);
        Assert.Equal(0, await CountAsync("select count(*) from channels where id = @id", channel.Id));
        Assert.Equal(0, await CountAsync("select count(*) from channel_members where channel_id = @id", channel.Id));
        var entry = await LastAuditAsync("channel.deleted", channel.Id);
        Assert.Equal("Empty", entry["before"]!["name"]!.GetValue<string>());
        Assert.DoesNotContain(channel.Secret, entry.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/channels/{channel.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_channel_with_a_conversation_is_not_deleted_409_offers_archive_and_nothing_changes()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var channel = await fixture.CreateApiChannelAsync(name: "Busy");
        await fixture.CreateUserAsync("busy-member", "manager", channel.Id);
        await fixture.IngestAsync(channel, "busy-1", "busy-customer", "hello");
        var before = await StateAsync(channel.Id);
        var mark = await AuditMarkAsync();

        var response = await admin.DeleteAsync($"/api/channels/{channel.Id}");

        var detail = await response.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("conversation", detail, StringComparison.Ordinal);
        Assert.Contains("archive", detail, StringComparison.OrdinalIgnoreCase);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(1, problem["conversations"]!.GetValue<long>());
        Assert.Equal($"/api/channels/{channel.Id}/archive", problem["archiveUrl"]!.GetValue<string>());
        Assert.Equal(before, await StateAsync(channel.Id));
        Assert.Equal(0, await CountAsync($"select count(*) from audit_log where id > {mark} and subject_id = @id::text", channel.Id));
        // Still working: the next message is stored.
        await fixture.IngestAsync(channel, "busy-2", "busy-customer", "still there?");
    }

    [Fact]
    public async Task An_archived_channel_is_hidden_from_the_default_list_listed_with_archived_true_and_its_webhook_refuses()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var channel = await fixture.CreateApiChannelAsync(name: "Old shop");
        var kept = await fixture.CreateApiChannelAsync(name: "Kept");
        await fixture.IngestAsync(channel, "old-1", "old-customer", "hello");
        var messages = await fixture.CountAsync("messages");
        var mark = await AuditMarkAsync();

        var archived = await (await admin.PostAsync($"/api/channels/{channel.Id}/archive", null)).OkJsonAsync();

        Assert.False(archived["enabled"]!.GetValue<bool>());
        Assert.NotNull(archived["archivedAt"]);
        var list = await (await admin.GetAsync("/api/channels")).OkArrayAsync();
        Assert.Equal([kept.Id], list.Select(c => c!.Id()));
        var archivedList = await (await admin.GetAsync("/api/channels?archived=true")).OkArrayAsync();
        Assert.Equal([channel.Id], archivedList.Select(c => c!.Id()));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/channels/{channel.Id}")).StatusCode);

        var refused = await fixture.PostInboundAsync(channel, AppFixture.InboundBody("old-2", "old-customer", "anyone?"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(messages, await fixture.CountAsync("messages"));
        // It cannot be switched on while archived; restored, it stays off until switched on.
        var on = await admin.PatchJsonAsync($"/api/channels/{channel.Id}", new { enabled = true });
        await on.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.PostInboundAsync(channel, AppFixture.InboundBody("old-3", "old-customer", "anyone?"))).StatusCode);
        var restored = await (await admin.PostAsync($"/api/channels/{channel.Id}/unarchive", null)).OkJsonAsync();
        Assert.False(restored["enabled"]!.GetValue<bool>());
        Assert.Null(restored["archivedAt"]);
        await (await admin.PatchJsonAsync($"/api/channels/{channel.Id}", new { enabled = true })).OkJsonAsync();
        await fixture.IngestAsync(channel, "old-4", "old-customer", "back again");

        Assert.Equal(1, await CountAsync($"select count(*) from audit_log where id > {mark} and action = 'channel.archived' and subject_id = @id::text", channel.Id));
        Assert.Equal(1, await CountAsync($"select count(*) from audit_log where id > {mark} and action = 'channel.unarchived' and subject_id = @id::text", channel.Id));
    }

    [Fact]
    public async Task Members_are_set_as_a_whole_in_one_request_and_all_managers_are_added_in_one()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var channel = await fixture.CreateApiChannelAsync(name: "Team");
        var anna = await fixture.CreateUserAsync("anna", "manager", channel.Id);
        var boris = await fixture.CreateUserAsync("boris", "manager");
        var vera = await fixture.CreateUserAsync("vera", "manager");
        var sofia = await fixture.CreateUserAsync("sofia", "supervisor");
        var gone = await fixture.CreateUserAsync("gone", "manager");
        await (await admin.PatchJsonAsync($"/api/users/{gone.Id}", new { isActive = false })).OkJsonAsync();

        var set = await (await admin.PutAsJsonAsync($"/api/channels/{channel.Id}/members", new { userIds = new[] { boris.Id, sofia.Id, boris.Id } })).OkJsonAsync();

        Assert.Equal(new[] { boris.Id, sofia.Id }.Order(), set["memberIds"]!.AsArray().Select(m => m!.GetValue<long>()).Order());
        var audit = await LastAuditAsync("channel.members-set", channel.Id);
        Assert.Equal([anna.Id], audit["before"]!["userIds"]!.AsArray().Select(m => m!.GetValue<long>()));
        Assert.Equal(new[] { boris.Id, sofia.Id }.Order(), audit["after"]!["userIds"]!.AsArray().Select(m => m!.GetValue<long>()));

        // An unknown user: 400 naming it, nothing changed.
        var bad = await admin.PutAsJsonAsync($"/api/channels/{channel.Id}/members", new { userIds = new[] { vera.Id, 999_999L } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("999999", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await CountAsync("select count(*) from channel_members where channel_id = @id", channel.Id));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/channels/{channel.Id}/members", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/channels/999999/members", new { userIds = new[] { vera.Id } })).StatusCode);

        var all = await (await admin.PostAsync($"/api/channels/{channel.Id}/members/all-managers", null)).OkJsonAsync();

        // Every active manager joins; the supervisor already there stays; the deactivated manager does not join.
        Assert.Equal(new[] { anna.Id, boris.Id, vera.Id, sofia.Id }.Order(), all["memberIds"]!.AsArray().Select(m => m!.GetValue<long>()).Order());
        var added = await LastAuditAsync("channel.members-added", channel.Id);
        Assert.Equal(new[] { anna.Id, vera.Id }.Order(), added["after"]!["userIds"]!.AsArray().Select(m => m!.GetValue<long>()));
        Assert.DoesNotContain(gone.Id, all["memberIds"]!.AsArray().Select(m => m!.GetValue<long>()));

        var none = await (await admin.PutAsJsonAsync($"/api/channels/{channel.Id}/members", new { userIds = Array.Empty<long>() })).OkJsonAsync();
        Assert.Empty(none["memberIds"]!.AsArray());
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("supervisor")]
    public async Task A_manager_or_supervisor_gets_403_on_delete_archive_unarchive_and_members_and_nothing_changes(string role)
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Guarded");
        var user = await fixture.CreateUserAsync("guard-" + role, role, channel.Id);
        var before = await StateAsync(channel.Id);
        using var http = fixture.App.Http(user.Token);

        Assert.Equal(HttpStatusCode.Forbidden, (await http.DeleteAsync($"/api/channels/{channel.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync($"/api/channels/{channel.Id}/archive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync($"/api/channels/{channel.Id}/unarchive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PutAsJsonAsync($"/api/channels/{channel.Id}/members", new { userIds = Array.Empty<long>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync($"/api/channels/{channel.Id}/members/all-managers", null)).StatusCode);

        Assert.Equal(before, await StateAsync(channel.Id));
    }

    [Fact]
    public async Task No_answer_of_the_new_routes_or_the_lists_carries_a_secret()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var channel = await fixture.CreateApiChannelAsync(name: "Secretive");
        var manager = await fixture.CreateUserAsync("secretive", "manager");
        var texts = new List<string>
        {
            await (await admin.PutAsJsonAsync($"/api/channels/{channel.Id}/members", new { userIds = new[] { manager.Id } })).Content.ReadAsStringAsync(),
            await (await admin.PostAsync($"/api/channels/{channel.Id}/members/all-managers", null)).Content.ReadAsStringAsync(),
            await (await admin.GetAsync("/api/channels")).Content.ReadAsStringAsync(),
            await (await admin.PostAsync($"/api/channels/{channel.Id}/archive", null)).Content.ReadAsStringAsync(),
            await (await admin.GetAsync("/api/channels?archived=true")).Content.ReadAsStringAsync(),
            await (await admin.PostAsync($"/api/channels/{channel.Id}/unarchive", null)).Content.ReadAsStringAsync(),
            await (await admin.GetAsync($"/api/channels/{channel.Id}")).Content.ReadAsStringAsync(),
            await (await admin.GetAsync("/api/admin/audit?limit=100")).Content.ReadAsStringAsync(),
        };
        Assert.All(texts, text => Assert.Contains("Secretive", text, StringComparison.Ordinal));
        Assert.All(texts, text => Assert.DoesNotContain(channel.Secret, text, StringComparison.Ordinal));
        var read = JsonNode.Parse(texts[^2])!;
        Assert.Null(read["settings"]!["secret"]);
        Assert.Equal(["secret"], read["secretsSet"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    private async Task<long> CountAsync(string sql, long id)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>(sql, new { id });
    }

    /// <summary>The newest audit row's id: channel ids restart after each reset, the audit log does not.</summary>
    private async Task<long> AuditMarkAsync()
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>("select coalesce(max(id), 0) from audit_log");
    }

    /// <summary>The channel row, its members and its conversations as one comparable string.</summary>
    private async Task<string> StateAsync(long id)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<string>("""
            select concat_ws('|', c.name, c.enabled, c.archived_at, c.settings::text,
                (select string_agg(user_id::text, ',' order by user_id) from channel_members where channel_id = c.id),
                (select count(*) from conversations where channel_id = c.id))
            from channels c where c.id = @id
            """, new { id }) ?? "";
    }

    private async Task<JsonNode> LastAuditAsync(string action, long channelId)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var items = (await (await admin.GetAsync($"/api/admin/audit?action={action}&limit=100")).OkJsonAsync())["items"]!.AsArray();
        return items.First(i => i!["subjectId"]!.GetValue<string>() == channelId.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
    }
}
