using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>`GET/PATCH /api/contacts/{id}` (the contact profile, issue #16): the caller sees only what the visibility rule lets them.</summary>
public sealed class ContactProfileTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Setup(long ContactId, long ConversationA, long ConversationB, long DealId, AppFixture.ApiChannel ChannelA);

    /// <summary>One customer who wrote on two channels (one contact, two conversations) and has a deal.</summary>
    private async Task<Setup> CustomerOnTwoChannelsAsync()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "Channel A");
        var channelB = await fixture.CreateApiChannelAsync(name: "Channel B");
        var a = (await fixture.IngestAsync(channelA, "m-a", "ann", "hello on A", name: "Ann"))["conversationId"]!.GetValue<long>();
        var b = (await fixture.IngestAsync(channelB, "m-b", "ann", "hello on B", name: "Ann"))["conversationId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var contactId = await db.ExecuteScalarAsync<long>("select contact_id from conversations where id = @a", new { a });
        Assert.Equal(contactId, await db.ExecuteScalarAsync<long>("select contact_id from conversations where id = @b", new { b }));
        using var http = fixture.App.Http(fixture.AdminToken);
        var deal = await http.PostAsJsonAsync("/api/deals", new { title = "Big order", amount = 250, contactId });
        Assert.Equal(HttpStatusCode.Created, deal.StatusCode);
        return new Setup(contactId, a, b, (await deal.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>(), channelA);
    }

    private static HttpRequestMessage Patch(long id, string json) =>
        new(HttpMethod.Patch, $"/api/contacts/{id}") { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static long[] Ids(JsonObject profile, string list) => profile[list]!.AsArray().Select(x => x!["id"]!.GetValue<long>()).Order().ToArray();

    [Fact]
    public async Task Profile_lists_identities_and_only_the_conversations_leads_and_deals_the_caller_sees()
    {
        var s = await CustomerOnTwoChannelsAsync();
        var manager = await fixture.CreateUserAsync("member-a", "manager", s.ChannelA.Id);
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var http = fixture.App.Http(manager.Token);

        var all = (await admin.GetFromJsonAsync<JsonObject>($"/api/contacts/{s.ContactId}"))!;
        Assert.Equal("Ann", all["name"]!.GetValue<string>());
        Assert.Equal([s.ConversationA, s.ConversationB], Ids(all, "conversations"));
        Assert.Equal([s.DealId], Ids(all, "deals"));
        Assert.Single(all["leads"]!.AsArray()); // both conversations joined the contact's one open lead
        Assert.Equal("ann", Assert.Single(all["identities"]!.AsArray())!["address"]!.GetValue<string>());

        // A member of channel A only: the contact and its channel-A conversation and lead; not B's, not the unassigned deal.
        var mine = (await http.GetFromJsonAsync<JsonObject>($"/api/contacts/{s.ContactId}"))!;
        Assert.Equal([s.ConversationA], Ids(mine, "conversations"));
        Assert.Equal("Channel A", mine["conversations"]![0]!["channelName"]!.GetValue<string>());
        Assert.Empty(mine["deals"]!.AsArray());
        await using var db = fixture.Db();
        var leadA = await db.ExecuteScalarAsync<long>("select lead_id from conversations where id = @ConversationA", s);
        Assert.Equal([leadA], Ids(mine, "leads"));
    }

    [Fact]
    public async Task A_manager_who_sees_nothing_of_the_contact_gets_404_for_read_and_edit_and_nothing_changes()
    {
        var s = await CustomerOnTwoChannelsAsync();
        var stranger = await fixture.CreateUserAsync("stranger", "manager");
        using var http = fixture.App.Http(stranger.Token);

        var read = await http.GetAsync($"/api/contacts/{s.ContactId}");
        var missing = await http.GetAsync("/api/contacts/999999999");
        var edit = await http.SendAsync(Patch(s.ContactId, """{"name":"Hijacked"}"""));

        using var admin = fixture.App.Http(fixture.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/contacts/{s.ContactId}")).StatusCode); // it is there
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        // Exactly like a missing id: no hint that the contact exists.
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        static async Task<string?> Detail(HttpResponseMessage r) => (await r.Content.ReadFromJsonAsync<JsonObject>())!["detail"]?.GetValue<string>();
        Assert.Equal(await Detail(missing), await Detail(read));
        await using var db = fixture.Db();
        Assert.Equal("Ann", await db.ExecuteScalarAsync<string>("select name from contacts where id = @ContactId", s));
    }

    [Fact]
    public async Task Editing_stores_the_phone_in_E164_clears_with_empty_and_pushes_the_new_name()
    {
        var s = await CustomerOnTwoChannelsAsync();
        var manager = await fixture.CreateUserAsync("editor", "manager", s.ChannelA.Id);
        await using var hub = await fixture.ConnectHubAsync(manager.Token);
        var inbox = new HubRecorder(hub);
        using var http = fixture.App.Http(manager.Token);

        var response = await http.SendAsync(Patch(s.ContactId, """{"name":"  Ann Smith ","email":"ann@example.com","phone":"+44 20 7946 0958"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Ann Smith", profile["name"]!.GetValue<string>());
        Assert.Equal("ann@example.com", profile["email"]!.GetValue<string>());
        Assert.Equal("+442079460958", profile["phone"]!.GetValue<string>());
        await inbox.WaitForAsync("conversationUpdated", c => c["id"]!.GetValue<long>() == s.ConversationA && c["contact"]!["name"]!.GetValue<string>() == "Ann Smith");

        // Only the fields sent change; "" clears an optional one.
        var cleared = await http.SendAsync(Patch(s.ContactId, """{"email":""}"""));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(string Name, string? Email, string? Phone)>("select name, email, phone from contacts where id = @ContactId", s);
        Assert.Equal(("Ann Smith", (string?)null, "+442079460958"), row);
    }

    [Theory]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"name":42}""", "name")]
    [InlineData("""{"email":"not an email"}""", "email")]
    [InlineData("""{"email":"ann@"}""", "email")]
    [InlineData("""{"phone":"12345"}""", "phone")]
    [InlineData("""{"phone":"+1 555"}""", "phone")]
    [InlineData("""{"nickname":"x"}""", "body")]
    [InlineData("""{}""", "body")]
    public async Task Bad_input_is_a_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var s = await CustomerOnTwoChannelsAsync();
        using var http = fixture.App.Http(fixture.AdminToken);

        var response = await http.SendAsync(Patch(s.ContactId, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(problem["errors"]![field]);
        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(string Name, string? Email, string? Phone)>("select name, email, phone from contacts where id = @ContactId", s);
        Assert.Equal(("Ann", (string?)null, (string?)null), row);
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_a_400()
    {
        var s = await CustomerOnTwoChannelsAsync();
        using var http = fixture.App.Http(fixture.AdminToken);

        // Each says what is wrong with the body in the client's terms (not the framework's words about our parameters).
        foreach (var (body, detail) in new[]
        {
            ("""["name"]""", "The request body must be a JSON object."),
            ("null", "The request needs a JSON body: an object with the fields to set."),
            ("", "The request needs a JSON body: an object with the fields to set."),
            ("""{"name": ["Ann"]}""", null),
            ("""{"name": """, "The request body is not valid JSON"),
        })
        {
            var response = await http.SendAsync(Patch(s.ContactId, body));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("parameter", problem, StringComparison.OrdinalIgnoreCase);
            if (detail is not null)
            {
                Assert.Contains(detail, problem, StringComparison.Ordinal);
            }
        }
        await using var db = fixture.Db();
        Assert.Equal("Ann", await db.ExecuteScalarAsync<string>("select name from contacts where id = @ContactId", s));
    }
}
