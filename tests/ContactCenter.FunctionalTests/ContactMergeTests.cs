using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.FunctionalTests;

/// <summary>`POST /api/contacts/{id}/merge`: one person's two contacts become one, for callers who may see both.</summary>
public sealed class ContactMergeTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Person(long ContactId, long ConversationId, long LeadId);

    /// <summary>A customer who wrote on the channel: a contact, a conversation and (classic mode) a lead.</summary>
    private async Task<Person> CustomerAsync(AppFixture.ApiChannel channel, string externalContactId, string text)
    {
        var conversationId = (await fixture.IngestAsync(channel, "m-" + externalContactId, externalContactId, text, name: externalContactId))["conversationId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var row = await db.QuerySingleAsync<(long ContactId, long LeadId)>("select contact_id, lead_id from conversations where id = @conversationId", new { conversationId });
        return new Person(row.ContactId, conversationId, row.LeadId);
    }

    private static Task<HttpResponseMessage> MergeAsync(HttpClient http, long id, long otherContactId) =>
        http.PostAsJsonAsync($"/api/contacts/{id}/merge", new { otherContactId });

    private async Task<long> DealForAsync(long contactId)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync("/api/deals", new { title = "Order", amount = 100, contactId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    [Fact]
    public async Task Merging_moves_conversations_leads_deals_and_identities_records_both_timelines_and_pushes()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var keep = await CustomerAsync(channel, "ann", "hello from ann");
        var other = await CustomerAsync(channel, "ann-visitor", "hello again, also ann");
        var otherDeal = await DealForAsync(other.ContactId);
        var dealPushed = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = await fixture.ConnectHubAsync(fixture.AdminToken, configure: c =>
            c.On<JsonElement>("dealUpdated", d => { if (d.GetProperty("id").GetInt64() == otherDeal) { dealPushed.TrySetResult(d); } }));
        var inbox = new HubRecorder(hub);
        using var http = fixture.App.Http(fixture.AdminToken);

        var response = await MergeAsync(http, keep.ContactId, other.ContactId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var survivor = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(keep.ContactId, survivor["id"]!.GetValue<long>());
        Assert.Equal(["ann", "ann-visitor"], survivor["identities"]!.AsArray().Select(i => i!["address"]!.GetValue<string>()).Order());
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from contacts where id = @ContactId", other));
        Assert.Equal(keep.ContactId, await db.ExecuteScalarAsync<long>("select contact_id from conversations where id = @ConversationId", other));
        Assert.Equal(keep.ContactId, await db.ExecuteScalarAsync<long>("select contact_id from leads where id = @LeadId", other));
        Assert.Equal(keep.ContactId, await db.ExecuteScalarAsync<long>("select contact_id from deals where id = @otherDeal", new { otherDeal }));
        var entries = (await db.QueryAsync<(long? LeadId, long? DealId, string Data)>(
            "select lead_id, deal_id, data::text from timeline_entries where type = 'contactsMerged' and contact_id is null order by id")).ToList();
        Assert.Equal(3, entries.Count);
        Assert.Contains(entries, e => e.LeadId == keep.LeadId);
        Assert.Contains(entries, e => e.LeadId == other.LeadId);
        Assert.Contains(entries, e => e.DealId == otherDeal);
        Assert.All(entries, e => Assert.Equal(other.ContactId, JsonNode.Parse(e.Data)!["mergedContactId"]!.GetValue<long>()));
        var timeline = (await http.GetFromJsonAsync<JsonObject>($"/api/deals/{otherDeal}/timeline"))!;
        Assert.Contains(timeline["items"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "contactsMerged");
        await inbox.WaitForAsync("conversationUpdated", c => c["id"]!.GetValue<long>() == other.ConversationId && c["contact"]!["id"]!.GetValue<long>() == keep.ContactId);
        var pushed = await dealPushed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(keep.ContactId, pushed.GetProperty("contact").GetProperty("id").GetInt64());

        // The moved identity now finds the survivor: the next message joins it.
        var again = await fixture.IngestAsync(channel, "m-ann-visitor-2", "ann-visitor", "still me");
        Assert.Equal(keep.ContactId, await db.ExecuteScalarAsync<long>("select contact_id from conversations where id = @id", new { id = again["conversationId"]!.GetValue<long>() }));
    }

    [Fact]
    public async Task A_manager_who_cannot_see_one_of_the_two_gets_404_like_a_missing_id_and_nothing_changes()
    {
        var channelA = await fixture.CreateApiChannelAsync(name: "A");
        var channelB = await fixture.CreateApiChannelAsync(name: "B");
        var mine = await CustomerAsync(channelA, "on-a", "hi");
        var hidden = await CustomerAsync(channelB, "on-b", "secret");
        var manager = await fixture.CreateUserAsync("onlya", "manager", channelA.Id);
        using var http = fixture.App.Http(manager.Token);

        var into = await MergeAsync(http, mine.ContactId, hidden.ContactId);
        var from = await MergeAsync(http, hidden.ContactId, mine.ContactId);
        var missing = await MergeAsync(http, mine.ContactId, 999_999);

        Assert.Equal(HttpStatusCode.NotFound, into.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, from.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var a = (await into.Content.ReadFromJsonAsync<JsonObject>())!;
        var b = (await missing.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(b["detail"]!.GetValue<string>(), a["detail"]!.GetValue<string>());
        Assert.Equal(b["title"]?.GetValue<string>(), a["title"]?.GetValue<string>());
        Assert.Equal(2, await fixture.CountAsync("contacts"));
        await using var db = fixture.Db();
        Assert.Equal(hidden.ContactId, await db.ExecuteScalarAsync<long>("select contact_id from conversations where id = @ConversationId", hidden));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where type = 'contactsMerged'"));

        // Once the manager may see both (a member of both channels), the merge goes through.
        await db.ExecuteAsync("insert into channel_members (channel_id, user_id) values (@channelB, @userId)", new { channelB = channelB.Id, userId = manager.Id });
        Assert.Equal(HttpStatusCode.OK, (await MergeAsync(http, mine.ContactId, hidden.ContactId)).StatusCode);
    }

    [Fact]
    public async Task Merging_a_contact_with_itself_or_a_malformed_body_is_400_and_changes_nothing()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var person = await CustomerAsync(channel, "solo", "hi");
        using var http = fixture.App.Http(fixture.AdminToken);

        var self = await MergeAsync(http, person.ContactId, person.ContactId);
        var missing = await http.PostAsJsonAsync($"/api/contacts/{person.ContactId}/merge", new { });
        var wrongType = await http.PostAsync($"/api/contacts/{person.ContactId}/merge", new StringContent("{\"otherContactId\":\"abc\"}", Encoding.UTF8, "application/json"));
        var notJson = await http.PostAsync($"/api/contacts/{person.ContactId}/merge", new StringContent("{otherContactId:", Encoding.UTF8, "application/json"));
        var negative = await MergeAsync(http, person.ContactId, -3);

        foreach (var response in new[] { self, missing, wrongType, notJson, negative })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Contains("itself", (await self.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.Equal(1, await fixture.CountAsync("contacts"));
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where type = 'contactsMerged'"));
    }

    [Fact]
    public async Task Concurrent_merges_of_the_same_pair_merge_once_and_never_fail_with_500()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var first = await CustomerAsync(channel, "twin-1", "one");
        var second = await CustomerAsync(channel, "twin-2", "two");
        using var http = fixture.App.Http(fixture.AdminToken);

        var responses = await Task.WhenAll(
            MergeAsync(http, first.ContactId, second.ContactId),
            MergeAsync(http, second.ContactId, first.ContactId),
            MergeAsync(http, first.ContactId, second.ContactId),
            MergeAsync(http, second.ContactId, first.ContactId));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound }));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(1, await fixture.CountAsync("contacts"));
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(distinct contact_id) from conversations"));
        // One per lead, and one on the survivor's own timeline (issue #17).
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where type = 'contactsMerged' and contact_id is null"));
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where type = 'contactsMerged' and contact_id is not null"));
    }
}
