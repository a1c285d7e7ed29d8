using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Contacts as a place to work (issue #17): the list with search and keyset pages, contacts made by hand, a contact's
/// conversations, deals, leads and one timeline — each only as far as the caller may see.
/// </summary>
public sealed class ContactDirectoryTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(long Contact, long Conversation, long Lead)> CustomerAsync(AppFixture.ApiChannel channel, string key, string name)
    {
        var conversation = (await fixture.IngestAsync(channel, "m-" + key, key, "hello from " + name, name))["conversationId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var (contact, lead) = await db.QuerySingleAsync<(long, long)>("select contact_id, lead_id from conversations where id = @conversation", new { conversation });
        return (contact, conversation, lead);
    }

    private static long[] Ids(JsonNode page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToArray();

    [Fact]
    public async Task The_list_shows_a_manager_only_the_contacts_they_see_and_searches_name_email_and_phone()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "A");
        var channelB = await fixture.CreateApiChannelAsync(name: "B");
        var ann = await CustomerAsync(channelA, "ann", "Ann Петрова");
        var bob = await CustomerAsync(channelB, "bob", "Bob Stone");
        var manager = await fixture.CreateUserAsync("lister", "manager", channelA.Id);
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PatchAsJsonAsync($"/api/contacts/{ann.Contact}", new { email = "Ann.P@Example.com", phone = "+44 20 7946 0958" })).EnsureSuccessStatusCode();
        using var http = fixture.App.Http(manager.Token);

        Assert.Equal([bob.Contact, ann.Contact], Ids(await (await admin.GetAsync("/api/contacts")).OkJsonAsync()));
        Assert.Equal([ann.Contact], Ids(await (await http.GetAsync("/api/contacts")).OkJsonAsync()));
        Assert.Equal([ann.Contact], Ids(await (await http.GetAsync("/api/contacts?q=петр")).OkJsonAsync())); // ICU case folding
        Assert.Equal([ann.Contact], Ids(await (await http.GetAsync("/api/contacts?q=ann.p@example")).OkJsonAsync()));
        Assert.Equal([ann.Contact], Ids(await (await http.GetAsync("/api/contacts?q=7946")).OkJsonAsync()));
        Assert.Empty(Ids(await (await http.GetAsync("/api/contacts?q=Bob")).OkJsonAsync())); // not hers
        Assert.Equal([bob.Contact], Ids(await (await admin.GetAsync("/api/contacts?q=bob")).OkJsonAsync()));
        Assert.Empty(Ids(await (await admin.GetAsync("/api/contacts?q=%25")).OkJsonAsync())); // LIKE characters are literal
    }

    [Fact]
    public async Task The_list_pages_by_keyset_and_refuses_a_bad_cursor_or_query()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await (await admin.PostAsJsonAsync("/api/contacts", new { name = $"Paged {i}" })).OkJsonAsync(HttpStatusCode.Created)).Id());
        }

        var first = await (await admin.GetAsync("/api/contacts?limit=2")).OkJsonAsync();
        var second = await (await admin.GetAsync($"/api/contacts?limit=2&cursor={first["nextCursor"]}")).OkJsonAsync();
        var third = await (await admin.GetAsync($"/api/contacts?limit=2&cursor={second["nextCursor"]}")).OkJsonAsync();

        Assert.Equal(ids.AsEnumerable().Reverse(), Ids(first).Concat(Ids(second)).Concat(Ids(third)));
        Assert.Null(third["nextCursor"]);
        await (await admin.GetAsync("/api/contacts?cursor=abc")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/api/contacts?q=" + new string('x', 201))).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_contact_made_by_hand_is_its_creators_and_hidden_from_another_manager()
    {
        var mine = await fixture.CreateUserAsync("maker", "manager");
        var other = await fixture.CreateUserAsync("other", "manager");
        using var http = fixture.App.Http(mine.Token);
        using var stranger = fixture.App.Http(other.Token);

        var created = await (await http.PostAsJsonAsync("/api/contacts", new { name = " Card Person ", email = "card@example.com", phone = "+1 415 555 0100" }))
            .OkJsonAsync(HttpStatusCode.Created);

        var id = created.Id();
        Assert.Equal("Card Person", created["name"]!.GetValue<string>());
        Assert.Equal("+14155550100", created["phone"]!.GetValue<string>());
        Assert.Equal([id], Ids(await (await http.GetAsync("/api/contacts")).OkJsonAsync()));
        Assert.Empty(Ids(await (await stranger.GetAsync("/api/contacts")).OkJsonAsync()));
        foreach (var part in new[] { "", "/conversations", "/deals", "/leads", "/timeline" })
        {
            await (await stranger.GetAsync($"/api/contacts/{id}{part}")).ProblemAsync(HttpStatusCode.NotFound);
            await (await http.GetAsync($"/api/contacts/{id}{part}")).OkJsonOrArrayAsync();
        }
        await (await stranger.PatchAsJsonAsync($"/api/contacts/{id}", new { name = "Taken over" })).ProblemAsync(HttpStatusCode.NotFound);
        await using var db = fixture.Db();
        Assert.Equal("Card Person", await db.ExecuteScalarAsync<string>("select name from contacts where id = @id", new { id }));
    }

    [Fact]
    public async Task Making_a_contact_gives_no_lasting_claim_once_a_colleague_works_it()
    {
        var maker = await fixture.CreateUserAsync("early", "manager");
        var owner = await fixture.CreateUserAsync("owner", "manager");
        using var http = fixture.App.Http(maker.Token);
        using var admin = fixture.App.Http(fixture.AdminToken);
        var id = (await (await http.PostAsJsonAsync("/api/contacts", new { name = "Prospect", email = "prospect@example.com" })).OkJsonAsync(HttpStatusCode.Created)).Id();

        // The customer becomes the colleague's: a deal assigned to them.
        await (await admin.PostAsJsonAsync("/api/deals", new { title = "Their deal", contactId = id, assigneeId = owner.Id })).OkJsonAsync(HttpStatusCode.Created);

        await (await http.GetAsync($"/api/contacts/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await http.PatchAsJsonAsync($"/api/contacts/{id}", new { name = "Mine after all" })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(Ids(await (await http.GetAsync("/api/contacts")).OkJsonAsync()));
        using var colleague = fixture.App.Http(owner.Token);
        Assert.Equal("Prospect", (await (await colleague.GetAsync($"/api/contacts/{id}")).OkJsonAsync())["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"email":"a@example.com"}""", "name")]
    [InlineData("""{"name":"  "}""", "name")]
    [InlineData("""{"name":"X","email":"nope"}""", "email")]
    [InlineData("""{"name":"X","phone":"12345"}""", "phone")]
    [InlineData("""{"name":"X","companyId":-1}""", "companyId")]
    public async Task Creating_with_bad_input_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);

        var response = await admin.PostAsync("/api/contacts", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]);
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task Creating_with_a_company_that_does_not_exist_is_a_404_like_a_hidden_one_and_writes_nothing()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);

        await (await admin.PostAsJsonAsync("/api/contacts", new { name = "X", companyId = 999_999 })).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task A_contacts_parts_and_timeline_show_only_what_the_manager_sees_and_the_merge_joins_both_timelines()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "A");
        var channelB = await fixture.CreateApiChannelAsync(name: "B");
        var keep = await CustomerAsync(channelA, "kim", "Kim");
        var other = await CustomerAsync(channelA, "kim-2", "Kim again");
        var hidden = await CustomerAsync(channelB, "kim-b", "Kim on B");
        var manager = await fixture.CreateUserAsync("worker", "manager", channelA.Id);
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var http = fixture.App.Http(manager.Token);
        // Kim's B conversation is merged in by an admin: the manager (not a member of B) must not see its lead afterwards.
        (await admin.PostAsJsonAsync($"/api/contacts/{keep.Contact}/merge", new { otherContactId = hidden.Contact })).EnsureSuccessStatusCode();

        var merged = await http.PostAsJsonAsync($"/api/contacts/{keep.Contact}/merge", new { otherContactId = other.Contact });

        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var conversations = await (await http.GetAsync($"/api/contacts/{keep.Contact}/conversations")).OkArrayAsync();
        Assert.Equal(new[] { keep.Conversation, other.Conversation }.Order(), conversations.Select(c => c!["id"]!.GetValue<long>()).Order());
        var leads = await (await http.GetAsync($"/api/contacts/{keep.Contact}/leads")).OkArrayAsync();
        Assert.Equal(new[] { keep.Lead, other.Lead }.Order(), leads.Select(c => c!["id"]!.GetValue<long>()).Order());
        Assert.Empty(await (await http.GetAsync($"/api/contacts/{keep.Contact}/deals")).OkArrayAsync());

        var timeline = (await (await http.GetAsync($"/api/contacts/{keep.Contact}/timeline?limit=100")).OkJsonAsync())["items"]!.AsArray();
        var messages = timeline.Where(e => e!["type"]!.GetValue<string>() == "message").Select(e => e!["data"]!["conversationId"]!.GetValue<long>()).ToHashSet();
        Assert.Equal(new HashSet<long> { keep.Conversation, other.Conversation }, messages);
        var merges = timeline.Where(e => e!["type"]!.GetValue<string>() == "contactsMerged").Select(e => e!["data"]!["mergedContactId"]!.GetValue<long>()).ToList();
        Assert.Contains(other.Contact, merges);
        var all = (await (await admin.GetAsync($"/api/contacts/{keep.Contact}/timeline?limit=100")).OkJsonAsync())["items"]!.AsArray();
        Assert.Contains(all, e => e!["type"]!.GetValue<string>() == "message" && e["data"]!["conversationId"]!.GetValue<long>() == hidden.Conversation);
        Assert.Contains(all, e => e!["type"]!.GetValue<string>() == "contactsMerged" && e["data"]!["mergedContactId"]!.GetValue<long>() == hidden.Contact);
    }
}
