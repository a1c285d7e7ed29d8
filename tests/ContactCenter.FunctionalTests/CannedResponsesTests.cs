using System.Net;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>Canned responses (issue #16): personal and shared sets, who may change which, search, bad input, duplicates.</summary>
public sealed class CannedResponsesTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_manager_creates_lists_edits_and_deletes_a_personal_response()
    {
        var manager = await fixture.CreateUserAsync("canned-m", "manager");
        using var http = fixture.App.Http(manager.Token);

        var created = await (await http.PostJsonAsync("/api/canned-responses", new { shortcut = "  thanks ", title = "Thank you", text = "Thanks, {{contact.name}}!", shared = false }))
            .OkJsonAsync(HttpStatusCode.Created);
        var id = created.Id();
        Assert.Equal("thanks", created["shortcut"]!.GetValue<string>());
        Assert.False(created["shared"]!.GetValue<bool>());
        Assert.True(created["canEdit"]!.GetValue<bool>());

        var edited = await (await http.PatchJsonAsync($"/api/canned-responses/{id}", new { text = "Many thanks!", title = "" })).OkJsonAsync();
        Assert.Equal("Many thanks!", edited["text"]!.GetValue<string>());
        Assert.Null(edited["title"]);
        Assert.Equal("thanks", edited["shortcut"]!.GetValue<string>());
        var listed = Assert.Single(await (await http.GetAsync("/api/canned-responses")).OkArrayAsync())!;
        Assert.Equal("Many thanks!", listed["text"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/canned-responses/{id}")).StatusCode);
        Assert.Empty(await (await http.GetAsync("/api/canned-responses")).OkArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"/api/canned-responses/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_second_manager_never_sees_nor_touches_a_colleagues_personal_response()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("canned-m1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("canned-m2", "manager", channel.Id);
        var supervisor = await fixture.CreateUserAsync("canned-sup", "supervisor");
        var conversation = (await fixture.IngestAsync(channel, "cv-1", "cust-1", "hello", "Ann"))["conversationId"]!.GetValue<long>();
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        using var staff = fixture.App.Http(supervisor.Token);
        var id = (await (await http1.PostJsonAsync("/api/canned-responses", new { shortcut = "secret", text = "Mine alone" })).OkJsonAsync(HttpStatusCode.Created)).Id();

        Assert.Empty(await (await http2.GetAsync("/api/canned-responses")).OkArrayAsync());
        Assert.Empty(await (await http2.GetAsync("/api/canned-responses?q=secret")).OkArrayAsync());
        Assert.Empty(await (await staff.GetAsync("/api/canned-responses")).OkArrayAsync());
        await (await http2.PatchJsonAsync($"/api/canned-responses/{id}", new { text = "Stolen" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await http2.PostJsonAsync($"/api/canned-responses/{id}/render", new { conversationId = conversation })).ProblemAsync(HttpStatusCode.NotFound);
        await (await http2.DeleteAsync($"/api/canned-responses/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await staff.PatchJsonAsync($"/api/canned-responses/{id}", new { text = "Stolen" })).ProblemAsync(HttpStatusCode.NotFound);

        var still = Assert.Single(await (await http1.GetAsync("/api/canned-responses")).OkArrayAsync())!;
        Assert.Equal("Mine alone", still["text"]!.GetValue<string>());
        // The same shortcut is free in another user's personal set.
        await (await http2.PostJsonAsync("/api/canned-responses", new { shortcut = "secret", text = "Mine too" })).OkJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Only_staff_create_and_change_shared_responses_and_managers_read_them()
    {
        var manager = await fixture.CreateUserAsync("canned-reader", "manager");
        var supervisor = await fixture.CreateUserAsync("canned-boss", "supervisor");
        using var http = fixture.App.Http(manager.Token);
        using var staff = fixture.App.Http(supervisor.Token);

        await (await http.PostJsonAsync("/api/canned-responses", new { shortcut = "hours", text = "We work 9-18", shared = true })).ProblemAsync(HttpStatusCode.Forbidden);
        var id = (await (await staff.PostJsonAsync("/api/canned-responses", new { shortcut = "hours", text = "We work 9-18", shared = true })).OkJsonAsync(HttpStatusCode.Created)).Id();

        var seen = Assert.Single(await (await http.GetAsync("/api/canned-responses")).OkArrayAsync())!;
        Assert.True(seen["shared"]!.GetValue<bool>());
        Assert.False(seen["canEdit"]!.GetValue<bool>());
        await (await http.PatchJsonAsync($"/api/canned-responses/{id}", new { text = "We never sleep" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await http.DeleteAsync($"/api/canned-responses/{id}")).ProblemAsync(HttpStatusCode.Forbidden);
        await using (var db = fixture.Db())
        {
            Assert.Equal("We work 9-18", await db.ExecuteScalarAsync<string>("select text from canned_responses where id = @id", new { id }));
        }

        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PatchJsonAsync($"/api/canned-responses/{id}", new { text = "We work 9-20" })).EnsureSuccessStatusCode();
        Assert.Equal("We work 9-20", Assert.Single(await (await http.GetAsync("/api/canned-responses")).OkArrayAsync())!["text"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await staff.DeleteAsync($"/api/canned-responses/{id}")).StatusCode);
        Assert.Empty(await (await http.GetAsync("/api/canned-responses")).OkArrayAsync());
    }

    [Fact]
    public async Task A_duplicate_shortcut_is_a_409_within_a_set_whatever_its_case_and_free_across_sets()
    {
        var manager = await fixture.CreateUserAsync("canned-dup", "manager");
        using var http = fixture.App.Http(manager.Token);
        using var admin = fixture.App.Http(fixture.AdminToken);
        await (await http.PostJsonAsync("/api/canned-responses", new { shortcut = "hi", text = "Hello" })).OkJsonAsync(HttpStatusCode.Created);
        var other = (await (await http.PostJsonAsync("/api/canned-responses", new { shortcut = "bye", text = "Bye" })).OkJsonAsync(HttpStatusCode.Created)).Id();

        await (await http.PostJsonAsync("/api/canned-responses", new { shortcut = "HI", text = "Hello again" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await http.PatchJsonAsync($"/api/canned-responses/{other}", new { shortcut = "Hi", text = "Changed" })).ProblemAsync(HttpStatusCode.Conflict);
        // Shared and personal sets are separate; within the shared set it is unique again.
        await (await admin.PostJsonAsync("/api/canned-responses", new { shortcut = "hi", text = "Hello from all of us", shared = true })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostJsonAsync("/api/canned-responses", new { shortcut = "Hi", text = "Again", shared = true })).ProblemAsync(HttpStatusCode.Conflict);

        await using var db = fixture.Db();
        Assert.Equal(3, await db.ExecuteScalarAsync<long>("select count(*) from canned_responses"));
        Assert.Equal("Bye", await db.ExecuteScalarAsync<string>("select text from canned_responses where id = @other", new { other }));
    }

    public static TheoryData<string> BadBodies => new()
    {
        """{"text":"no shortcut"}""",
        """{"shortcut":"   ","text":"blank shortcut"}""",
        """{"shortcut":"two words","text":"space inside"}""",
        """{"shortcut":"tab\tinside","text":"tab inside"}""",
        $$"""{"shortcut":"{{new string('s', 33)}}","text":"too long a shortcut"}""",
        """{"shortcut":"ok"}""",
        """{"shortcut":"ok","text":"   "}""",
        $$"""{"shortcut":"ok","text":"{{new string('x', 10_001)}}"}""",
        """{"shortcut":"ok","text":"nul \u0000 inside"}""",
        $$"""{"shortcut":"ok","title":"{{new string('t', 201)}}","text":"long title"}""",
        """{"shortcut":12,"text":"number"}""",
        """{"shortcut":"ok","text":"x","shared":"yes"}""",
        """not json""",
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_a_400_problem_and_changes_nothing(string body)
    {
        var manager = await fixture.CreateUserAsync("canned-bad-" + Guid.NewGuid().ToString("N")[..6], "manager");
        using var http = fixture.App.Http(manager.Token);
        var id = (await (await http.PostJsonAsync("/api/canned-responses", new { shortcut = "keep", text = "Kept" })).OkJsonAsync(HttpStatusCode.Created)).Id();

        await (await http.PostAsync("/api/canned-responses", Json(body))).ProblemAsync(HttpStatusCode.BadRequest);
        if (body.Contains("\"shortcut\":\"ok\"", StringComparison.Ordinal) && body.Contains("text", StringComparison.Ordinal))
        {
            await (await http.PatchAsync($"/api/canned-responses/{id}", Json(body))).ProblemAsync(HttpStatusCode.BadRequest);
        }
        await (await http.PatchAsync($"/api/canned-responses/{id}", Json("""{"shared":true}"""))).ProblemAsync(HttpStatusCode.BadRequest);
        await (await http.PostAsync($"/api/canned-responses/{id}/render", Json("{}"))).ProblemAsync(HttpStatusCode.BadRequest);

        var only = Assert.Single(await (await http.GetAsync("/api/canned-responses")).OkArrayAsync())!;
        Assert.Equal("keep", only["shortcut"]!.GetValue<string>());
        Assert.Equal("Kept", only["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_matches_shortcut_title_and_text_loosely_best_first()
    {
        var manager = await fixture.CreateUserAsync("canned-search", "manager");
        using var http = fixture.App.Http(manager.Token);
        await (await http.PostJsonAsync("/api/canned-responses", new { shortcut = "thanks", title = "Thank you", text = "Thanks for writing" })).OkJsonAsync(HttpStatusCode.Created);
        await (await http.PostJsonAsync("/api/canned-responses", new { shortcut = "price", title = "Price list", text = "Our prices are attached" })).OkJsonAsync(HttpStatusCode.Created);
        await (await http.PostJsonAsync("/api/canned-responses", new { shortcut = "delivery", text = "Shipping takes 3 days, thanks for waiting" })).OkJsonAsync(HttpStatusCode.Created);

        Assert.Equal(["price"], await ShortcutsAsync(http, "pri"));
        Assert.Equal(["thanks", "delivery"], await ShortcutsAsync(http, "thanks"));
        Assert.Equal(["thanks"], await ShortcutsAsync(http, "tnks"));
        Assert.Equal(["delivery"], await ShortcutsAsync(http, "SHIPPING"));
        Assert.Equal(["price"], await ShortcutsAsync(http, "list attached"));
        Assert.Empty(await ShortcutsAsync(http, "zzz"));
        Assert.Equal(3, (await ShortcutsAsync(http, "")).Count);
    }

    private static async Task<List<string>> ShortcutsAsync(HttpClient http, string q) =>
        (await (await http.GetAsync($"/api/canned-responses?q={Uri.EscapeDataString(q)}")).OkArrayAsync()).Select(r => r!["shortcut"]!.GetValue<string>()).ToList();

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
