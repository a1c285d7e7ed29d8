using System.Net;
using System.Net.Sockets;
using System.Text;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The screens' reads are let in a few at a time per node and queue in arrival order (issue #19: the inbox's and the
/// board's p99); here one at a time with a queue of one, so each step can be seen: a read held in PostgreSQL keeps the
/// gate, the next one waits for it and is answered after it, one more is refused with 429 and Retry-After 1, and the
/// gates of the heavier lists and of search, and routes without a gate, are answered meanwhile.
/// </summary>
public sealed class ReadGatesTests(ReadGatesTests.OneAtATimeFixture fixture) : IClassFixture<ReadGatesTests.OneAtATimeFixture>, IAsyncLifetime
{
    public sealed class OneAtATimeFixture : AppFixture
    {
        protected override IDictionary<string, string?> ExtraSettings()
        {
            var settings = base.ExtraSettings();
            settings["RateLimits:ConcurrentReads"] = "1";
            settings["RateLimits:QueuedReads"] = "1";
            // Held as long as the test needs (ReadGateHoldTests checks the limit).
            settings["RateLimits:ReadHoldLimitMs"] = "0";
            return settings;
        }
    }

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_read_held_in_the_database_keeps_the_gate_the_next_waits_its_turn_one_more_is_refused_and_other_routes_are_answered()
    {
        var (http, _, id) = await StuckInboxRead.ManagerAsync(fixture, "gate");
        using var client = http;
        await using (var stuck = await StuckInboxRead.StartAsync(fixture, http))
        {
            // Two more screen reads: one takes the queue's only place, the other is refused at once.
            var waiting = await OneRefusedAsync(http.GetAsync($"/api/conversations/{id}/messages"), http.GetAsync("/api/notifications"));

            // The lists' and the searches' gates are other ones, and a route without a gate is not held up either.
            await AnsweredAsync(http, "/api/deals", "/api/search?q=gate", "/api/labels");
            Assert.False(stuck.Read.IsCompleted, "the held inbox read answered while the test held its lock");
            Assert.False(waiting.IsCompleted, "the queued read was answered while the gate's one read was held");

            await stuck.ReleaseAsync();
            Assert.Single((await (await stuck.Read).OkJsonAsync())["items"]!.AsArray());
            using var queued = await waiting;
            Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
        }

        // The gate is free again: reads one after another are all answered.
        for (var i = 0; i < 5; i++)
        {
            using var again = await http.GetAsync($"/api/conversations/{id}/messages");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
    }

    [Fact]
    public async Task Searches_wait_at_a_gate_of_their_own_which_holds_up_neither_the_screens_nor_the_lists()
    {
        var (http, _, id) = await StuckInboxRead.ManagerAsync(fixture, "search-gate");
        using var client = http;
        await using var db = fixture.Db();
        await db.OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        // The search waits for this lock with the gate's one place (the notifications and the deal list do not read messages).
        await db.ExecuteAsync("lock table messages in access exclusive mode", transaction: tx);
        var held = http.GetAsync("/api/search?q=hello");
        await fixture.UntilBlockedAsync("%search_vector%", "the search waits for the test's lock");

        var waiting = await OneRefusedAsync(http.GetAsync("/api/search?q=hel"), http.GetAsync("/api/search/records?q=hello"));

        // The screens' and the lists' gates are free meanwhile.
        await AnsweredAsync(http, "/api/notifications", "/api/deals");
        Assert.False(held.IsCompleted, "the held search answered while the test held its lock");
        Assert.False(waiting.IsCompleted, "the queued search was answered while the gate's one search was held");

        await tx.RollbackAsync();
        var found = await (await held).OkJsonAsync();
        Assert.Contains(found["items"]!.AsArray(), hit => (long)hit!["conversationId"]! == id);
        using var queued = await waiting;
        Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
    }

    /// <summary>Each of <paramref name="paths"/> answered 200 now, one after another (routes that must not wait).</summary>
    private static async Task AnsweredAsync(HttpClient http, params string[] paths)
    {
        foreach (var path in paths)
        {
            using var answer = await http.GetAsync(path);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)answer.StatusCode}");
        }
    }

    /// <summary>
    /// Two reads sent while the gate's one place is held and its queue has one place: one is refused at once with 429,
    /// problem details and Retry-After 1; the other, returned, waits.
    /// </summary>
    private static async Task<Task<HttpResponseMessage>> OneRefusedAsync(Task<HttpResponseMessage> first, Task<HttpResponseMessage> second)
    {
        var refused = await Task.WhenAny(first, second);
        using var answer = await refused;
        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1", answer.Headers.GetValues("Retry-After").Single());
        return refused == first ? second : first;
    }

    [Fact]
    public async Task A_client_that_does_not_read_its_answer_holds_no_place_at_the_gate()
    {
        // The place is given back when the handler has its answer, before the answer is written: a client that never reads
        // a big page (a slow phone, or on purpose) must not hold every screen read of the node behind it.
        var channel = await fixture.CreateApiChannelAsync();
        var anna = await fixture.CreateUserAsync("gate-slow", "manager", channel.Id);
        var contact = "cust-" + Guid.NewGuid().ToString("N");
        var text = new string('x', 60_000);
        long id = 0;
        for (var i = 0; i < 120; i++)
        {
            id = (await fixture.IngestAsync(channel, $"big-{i}-{Guid.NewGuid():N}", contact, text)).Id("conversationId");
        }
        using var http = fixture.App.Http(anna.Token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/counters")).StatusCode);

        // ~7 MB of JSON to a socket that takes 4 kB and is never read: the server's write stops once the buffers are full.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(fixture.App.BaseAddress.Host, fixture.App.BaseAddress.Port);
        await stalled.SendAsync(Encoding.ASCII.GetBytes(
            $"GET /api/conversations/{id}/messages?limit=200 HTTP/1.1\r\nHost: {fixture.App.BaseAddress.Authority}\r\nAuthorization: Bearer {anna.Token}\r\n\r\n"));
        await Task.Delay(TimeSpan.FromSeconds(2));

        // The gate lets one read in at a time: these are answered only if the stalled answer's place was given back.
        using var quick = fixture.App.Http(anna.Token);
        quick.Timeout = TimeSpan.FromSeconds(10);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await quick.GetAsync("/api/counters")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await quick.GetAsync("/api/conversations?status=open")).StatusCode);
        }
        // And the stalled one was really left unread, its answer still being written: some of it arrives when read.
        var buffer = new byte[4096];
        Assert.True(await stalled.ReceiveAsync(buffer) > 0);
    }
}
