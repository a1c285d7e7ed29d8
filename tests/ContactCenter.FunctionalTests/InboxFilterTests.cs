using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>The inbox list's filters and sorts (issue #16): each sort pages by its own keyset; bad input is a 400.</summary>
public sealed class InboxFilterTests(FakeClockFixture fixture) : IClassFixture<FakeClockFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Five conversations ten seconds apart; the 2nd and 4th answered later (so not waiting, and most recent). The fake clock
    /// starts an hour back and must stay behind the real one (tokens): each test moves it little.
    /// </summary>
    private async Task<(long[] Ids, DateTimeOffset[] At)> FiveAsync()
    {
        var channel = await fixture.CreateApiChannelAsync();
        using var admin = fixture.App.Http(fixture.AdminToken);
        var ids = new long[5];
        var at = new DateTimeOffset[7];
        for (var i = 0; i < 5; i++)
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(10));
            at[i] = fixture.Clock.GetUtcNow();
            ids[i] = (await fixture.IngestAsync(channel, $"f-{i}", $"cust{i}", $"hello {i}")).Id("conversationId");
        }
        foreach (var i in new[] { 1, 3 })
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(10));
            at[i == 1 ? 5 : 6] = fixture.Clock.GetUtcNow();
            (await admin.PostAsJsonAsync($"/api/conversations/{ids[i]}/messages", new { text = "answered" })).EnsureSuccessStatusCode();
        }
        return (ids, at);
    }

    [Theory]
    [InlineData(null, new[] { 3, 1, 4, 2, 0 })]
    [InlineData("newest", new[] { 3, 1, 4, 2, 0 })]
    [InlineData("oldest", new[] { 0, 2, 4, 1, 3 })]
    [InlineData("waiting", new[] { 0, 2, 4, 1, 3 })]
    public async Task Every_sort_pages_through_every_conversation_once_in_its_order(string? sort, int[] expected)
    {
        var (ids, _) = await FiveAsync();
        using var admin = fixture.App.Http(fixture.AdminToken);

        var seen = new List<long>();
        string? cursor = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await (await admin.GetAsync($"/api/conversations?limit=2{(sort is null ? "" : "&sort=" + sort)}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}")).OkJsonAsync();
            seen.AddRange(page["items"]!.AsArray().Select(i => i!.Id()));
            cursor = page["nextCursor"]?.GetValue<string>();
            if (cursor is null)
            {
                break;
            }
        }

        Assert.Equal(expected.Select(i => ids[i]), seen);
    }

    [Fact]
    public async Task Waiting_puts_the_oldest_unanswered_first_and_the_answered_last()
    {
        var (ids, _) = await FiveAsync();
        using var admin = fixture.App.Http(fixture.AdminToken);
        // The oldest customer is answered now: it goes to the end, the next oldest waiting one comes first.
        (await admin.PostAsJsonAsync($"/api/conversations/{ids[0]}/messages", new { text = "answered" })).EnsureSuccessStatusCode();

        var items = await SnoozeTests.ItemsAsync(admin, "sort=waiting");

        Assert.Equal(new[] { ids[2], ids[4], ids[0], ids[1], ids[3] }, items.Select(i => i.Id()));
    }

    [Fact]
    public async Task A_cursor_of_one_sort_is_a_400_for_another_and_a_garbled_one_too()
    {
        await FiveAsync();
        using var admin = fixture.App.Http(fixture.AdminToken);
        var newest = (await (await admin.GetAsync("/api/conversations?limit=2")).OkJsonAsync())["nextCursor"]!.GetValue<string>();
        var waiting = (await (await admin.GetAsync("/api/conversations?limit=2&sort=waiting")).OkJsonAsync())["nextCursor"]!.GetValue<string>();

        await (await admin.GetAsync($"/api/conversations?sort=oldest&cursor={Uri.EscapeDataString(newest)}")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync($"/api/conversations?sort=newest&cursor={Uri.EscapeDataString(waiting)}")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/conversations?sort=waiting&cursor=bm90LWEtY3Vyc29y")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/conversations?sort=waiting&cursor=%25%25")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Assignee_filter_for_staff_and_managers_and_a_manager_naming_a_colleague_is_a_400()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("fa1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("fa2", "manager", channel.Id);
        var sup = await fixture.CreateUserAsync("fsup", "supervisor");
        var a = (await fixture.IngestAsync(channel, "a-1", "ca", "one")).Id("conversationId");
        var b = (await fixture.IngestAsync(channel, "a-2", "cb", "two")).Id("conversationId");
        var free = (await fixture.IngestAsync(channel, "a-3", "cc", "three")).Id("conversationId");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        using var staff = fixture.App.Http(sup.Token);
        (await staff.PostAsJsonAsync($"/api/conversations/{a}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        (await staff.PostAsJsonAsync($"/api/conversations/{b}/assign", new { userId = m2.Id })).EnsureSuccessStatusCode();

        Assert.Equal(new[] { a }, (await SnoozeTests.ItemsAsync(staff, $"assigneeId={m1.Id}")).Select(i => i.Id()));
        Assert.Equal(new[] { free }, (await SnoozeTests.ItemsAsync(staff, "assigneeId=unassigned")).Select(i => i.Id()));
        Assert.Equal(new[] { a }, (await SnoozeTests.ItemsAsync(http1, $"assigneeId={m1.Id}")).Select(i => i.Id()));
        Assert.Equal(new[] { free }, (await SnoozeTests.ItemsAsync(http2, "assigneeId=unassigned")).Select(i => i.Id()));
        await (await http2.GetAsync($"/api/conversations?assigneeId={m1.Id}")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http2.GetAsync("/api/conversations?assigneeId=someone")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http2.GetAsync("/api/conversations?assigneeId=-5")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Date_range_and_unread_filters_and_their_bad_input()
    {
        var (ids, at) = await FiveAsync();
        using var admin = fixture.App.Http(fixture.AdminToken);
        static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));

        var between = await SnoozeTests.ItemsAsync(admin, $"from={Iso(at[2])}&to={Iso(at[4])}");
        Assert.Equal(new[] { ids[4], ids[2] }, between.Select(i => i.Id()));
        Assert.Equal(5, (await SnoozeTests.ItemsAsync(admin, $"from={at[0].UtcDateTime:yyyy-MM-dd}&to={at[6].UtcDateTime:yyyy-MM-dd}")).Count);

        (await admin.PostAsJsonAsync($"/api/conversations/{ids[0]}/read", new { })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/conversations/{ids[2]}/read", new { })).EnsureSuccessStatusCode();
        Assert.Equal(new[] { ids[3], ids[1], ids[4] }, (await SnoozeTests.ItemsAsync(admin, "unread=true")).Select(i => i.Id()));
        Assert.Equal(5, (await SnoozeTests.ItemsAsync(admin, "unread=false")).Count);

        await (await admin.GetAsync($"/api/conversations?from={Iso(at[4])}&to={Iso(at[2])}")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/conversations?from=yesterday")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/conversations?to=0001-01-01T00:00:00Z")).ProblemAsync(HttpStatusCode.BadRequest);
        // The end of the last day there is would be a day later: a 400, not an overflow's 500.
        await (await admin.GetAsync("/api/conversations?to=9999-12-31")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/conversations?from=0001-01-01")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/conversations?unread=maybe")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/conversations?sort=loudest")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/conversations?status=sleeping")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
