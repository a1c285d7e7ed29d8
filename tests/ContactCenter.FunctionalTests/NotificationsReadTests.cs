using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>Marking notices read on one device updates the bell on the user's other devices live, and nobody else's (issue #16).</summary>
public sealed class NotificationsReadTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task AssignNewConversationAsync(HttpClient admin, AppFixture.ApiChannel channel, long userId)
    {
        var id = (await fixture.IngestAsync(channel, "nr-" + Guid.NewGuid().ToString("N"), "cust-" + Guid.NewGuid().ToString("N"), "hello")).Id("conversationId");
        (await admin.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Marking_read_pushes_notificationsRead_to_the_users_other_devices_and_never_to_a_colleague()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var reader = await fixture.CreateUserAsync("reader", "manager", channel.Id);
        var colleague = await fixture.CreateUserAsync("colleague", "manager", channel.Id);
        using var admin = fixture.App.Http(fixture.AdminToken);
        await using var phone = await fixture.ConnectHubAsync(reader.Token);
        await using var desktop = await fixture.ConnectHubAsync(reader.Token);
        await using var other = await fixture.ConnectHubAsync(colleague.Token);
        var onPhone = new HubRecorder(phone);
        var onDesktop = new HubRecorder(desktop);
        var onOther = new HubRecorder(other);
        await AssignNewConversationAsync(admin, channel, reader.Id);
        await AssignNewConversationAsync(admin, channel, reader.Id);
        await AssignNewConversationAsync(admin, channel, colleague.Id);
        var first = (await onDesktop.WaitForAsync("notification")).Id();
        await onDesktop.WaitForAsync("notification", n => n.Id() != first);
        await onOther.WaitForAsync("notification");
        using var http = fixture.App.Http(reader.Token);

        (await http.PostAsJsonAsync("/api/notifications/read", new { ids = new[] { first } })).EnsureSuccessStatusCode();

        foreach (var device in new[] { onPhone, onDesktop })
        {
            var read = await device.WaitForAsync("notificationsRead");
            Assert.Equal([first], read["ids"]!.AsArray().Select(i => i!.GetValue<long>()).ToArray());
            Assert.False(read["all"]!.GetValue<bool>());
            Assert.Equal(1, read["unread"]!.GetValue<long>());
        }

        (await http.PostAsJsonAsync("/api/notifications/read", new { all = true })).EnsureSuccessStatusCode();

        foreach (var device in new[] { onPhone, onDesktop })
        {
            var read = await device.WaitForAsync("notificationsRead", r => r["all"]!.GetValue<bool>());
            Assert.Equal(0, read["unread"]!.GetValue<long>());
        }
        // Marking nothing new pushes nothing; the colleague never hears of the reader's bell, and theirs is untouched.
        (await http.PostAsJsonAsync("/api/notifications/read", new { all = true })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/notifications/read", new { ids = new[] { first } })).EnsureSuccessStatusCode();
        using var colleagueHttp = fixture.App.Http(colleague.Token);
        var theirs = await (await colleagueHttp.GetAsync("/api/notifications")).OkJsonAsync();
        Assert.Equal(1, theirs["unread"]!.GetValue<long>());
        Assert.Empty(onOther.Of("notificationsRead"));
        Assert.Equal(2, onDesktop.Of("notificationsRead").Count());
    }

    [Fact]
    public async Task A_notice_committed_while_the_bell_is_read_is_both_listed_and_counted_or_neither()
    {
        // The page and the unread count are two statements; each had its own snapshot, so a notice committing between
        // them was counted but not listed, and the web app counted it again when its push came. The page's one long
        // notice is stored out of line (TOAST): reading its text needs the toast index, which the test holds while
        // another notice commits.
        var channel = await fixture.CreateApiChannelAsync();
        var anna = await fixture.CreateUserAsync("bell-mid", "manager", channel.Id);
        using var http = fixture.App.Http(anna.Token);
        await using var db = fixture.Db();
        await db.ExecuteAsync("""
            insert into notifications (user_id, kind, text, dedupe_key)
            select @me, 'automation', string_agg(md5(i::text), ''), 'long' from generate_series(1, 400) i
            """, new { me = anna.Id });
        var toastIndex = await db.ExecuteScalarAsync<string>("""
            select i.indexrelid::regclass::text from pg_class c join pg_index i on i.indrelid = c.reltoastrelid where c.oid = 'notifications'::regclass
            """);

        await using var holder = fixture.Db();
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync($"reindex index {toastIndex}", transaction: tx); // holds the index in access exclusive mode
        var read = http.GetAsync("/api/notifications");
        await fixture.UntilBlockedAsync("%order by id desc limit%", "the page never reached the long notice");
        await db.ExecuteAsync("insert into notifications (user_id, kind, text, dedupe_key) values (@me, 'automation', 'Short', 'short')", new { me = anna.Id });
        await tx.RollbackAsync();

        var page = await (await read).OkJsonAsync();
        // As it was when the read began: one notice, one unread.
        Assert.Single(page["items"]!.AsArray());
        Assert.Equal(1, page["unread"]!.GetValue<long>());
        var again = await (await http.GetAsync("/api/notifications")).OkJsonAsync();
        Assert.Equal(2, again["items"]!.AsArray().Count);
        Assert.Equal(2, again["unread"]!.GetValue<long>());
    }
}
