using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Routing;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>Races: two managers taking one conversation, two nodes draining one queue.</summary>
public sealed partial class RoutingTests
{
    [Fact]
    public async Task Two_managers_taking_one_conversation_at_once_end_with_one_owner()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("take1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("take2", "manager", channel.Id);
        var conversation = await NewConversationAsync(channel, "popular");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);

        var results = await Task.WhenAll(
            http1.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { userId = m1.Id }),
            http2.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { userId = m2.Id }));

        var codes = results.Select(r => r.StatusCode).ToList();
        Assert.Contains(HttpStatusCode.NoContent, codes);
        var winner = codes[0] == HttpStatusCode.NoContent ? m1.Id : m2.Id;
        Assert.Equal(winner, await AssigneeAsync(conversation));
        // The loser either raced the update (409) or arrived after it and can no longer see the conversation (404).
        Assert.Single(codes, c => c == HttpStatusCode.NoContent);
        Assert.Single(codes, c => c is HttpStatusCode.Conflict or HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_managers_answering_one_unassigned_conversation_at_once_send_one_reply_and_the_other_is_refused()
    {
        // Both passed the access check before either's reply took the conversation, and both replies went to the customer
        // (outside review, session 29: 5 of 5 races). The check is asked again under the conversation's row lock.
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("answer1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("answer2", "manager", channel.Id);
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        for (var round = 0; round < 5; round++)
        {
            var conversation = await NewConversationAsync(channel, $"both-answer-{round}");
            var results = await Task.WhenAll(
                http1.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "from one" }),
                http2.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = "from two" }));

            var codes = results.Select(r => r.StatusCode).ToList();
            Assert.Single(codes, c => c == HttpStatusCode.Accepted);
            Assert.Single(codes, c => c == HttpStatusCode.NotFound);
            var winner = codes[0] == HttpStatusCode.Accepted ? m1 : m2;
            Assert.Equal(winner.Id, await AssigneeAsync(conversation));
            await using var db = fixture.Db();
            Assert.Equal([winner.Id], (await db.QueryAsync<long>(
                "select sender_user_id from messages where conversation_id = @conversation and direction = 'outbound'", new { conversation })).ToList());
        }
    }

    [Fact]
    public async Task Two_nodes_draining_one_queue_never_assign_a_conversation_twice_or_break_the_cap()
    {
        var (channel, id) = await ChannelAsync(new JsonObject { ["mode"] = "evenly", ["maxOpenPerManager"] = 4 });
        var m1 = await fixture.CreateUserAsync("race1", "manager", id);
        var m2 = await fixture.CreateUserAsync("race2", "manager", id);
        for (var i = 0; i < 12; i++)
        {
            await NewConversationAsync(channel, $"queued-{i}");
        }
        var prefix = fixture.App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Realtime:ChannelPrefix"];
        await using var nodeB = new AppNode(fixture.Postgres, TestEnvironment.Redis, new Dictionary<string, string?> { ["Realtime:ChannelPrefix"] = prefix });
        await OnlineAsync(m1);
        hubs.Add(await fixture.ConnectHubAsync(m2.Token, nodeB));

        await Task.WhenAll(
            fixture.App.Services.GetRequiredService<Router>().DrainChannelAsync(id, CancellationToken.None),
            nodeB.Services.GetRequiredService<Router>().DrainChannelAsync(id, CancellationToken.None));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await fixture.CountAsync("conversations where assignee_id is not null") < 8 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await using var db = fixture.Db();
        var load = (await db.QueryAsync<(long Assignee, long Count)>(
            "select assignee_id, count(*) from conversations where assignee_id is not null group by assignee_id")).ToDictionary(r => r.Assignee, r => r.Count);
        Assert.Equal(4, load.GetValueOrDefault(m1.Id));
        Assert.Equal(4, load.GetValueOrDefault(m2.Id));
        Assert.Equal(4, await fixture.CountAsync("conversations where assignee_id is null"));
    }
}
