using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// An outside review's findings (session 22): what a manager could change or read of a colleague's through the records
/// they may see — a lead or deal visible through an unassigned conversation of a shared channel, a colleague's unsent
/// upload, and the entries of a hidden conversation on a timeline.
/// </summary>
public sealed class ColleagueRecordsTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_lead_or_deal_a_colleague_owns_is_read_but_not_changed_by_another_manager()
    {
        var shared = await fixture.CreateApiChannelAsync(name: "Shared");
        var own = await fixture.CreateApiChannelAsync(name: "Only manager2's");
        var m1 = await fixture.CreateUserAsync("own1", "manager", shared.Id);
        var m2 = await fixture.CreateUserAsync("own2", "manager", shared.Id, own.Id);
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var conversation = (await fixture.IngestAsync(shared, "own-1", "own-cust", "I want to buy", "Ned")).Id("conversationId");
        var leadId = (await (await admin.GetAsync($"/api/conversations/{conversation}")).OkJsonAsync())["leadId"]!.GetValue<long>();
        await (await admin.PatchJsonAsync($"/api/leads/{leadId}", new { assigneeId = m1.Id })).OkJsonAsync();
        var before = await LeadAsync(admin, leadId);

        // manager2 still sees it (the conversation waits unassigned in the shared channel), and may not take or end it.
        await (await http2.GetAsync($"/api/leads/{leadId}")).OkJsonAsync();
        var refusal = await (await http2.PatchJsonAsync($"/api/leads/{leadId}", new { assigneeId = m2.Id })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("A colleague owns this lead: only they or a supervisor can change it.", refusal);
        await (await http2.PatchJsonAsync($"/api/leads/{leadId}", new { title = "Mine now" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await http2.PostJsonAsync($"/api/leads/{leadId}/junk", new { reason = "Spam" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await http2.PostJsonAsync($"/api/leads/{leadId}/convert", new { })).ProblemAsync(HttpStatusCode.Conflict);
        var bulk = await (await http2.PostJsonAsync("/api/leads/bulk", new { ids = new[] { leadId }, action = "assign", assigneeId = m2.Id })).OkJsonAsync();
        Assert.Equal(0, bulk["changed"]!.GetValue<int>());
        Assert.Equal("refused", bulk["items"]![0]!["outcome"]!.GetValue<string>());
        Assert.Equal(before, await LeadAsync(admin, leadId));
        // A comment is not a change of the lead: it stays open to whoever sees it.
        await (await http2.PostJsonAsync($"/api/leads/{leadId}/comments", new { text = "I know this customer" })).OkJsonAsync(HttpStatusCode.Created);

        // Its owner converts it (an amount past the deal's range is a 400, not an overflow's 500); the deal is manager1's,
        // and the same holds for it.
        await (await http1.PostJsonAsync($"/api/leads/{leadId}/convert", new { amount = 1e20 })).ProblemAsync(HttpStatusCode.BadRequest);
        var dealId = (await (await http1.PostJsonAsync($"/api/leads/{leadId}/convert", new { })).OkJsonAsync())["dealId"]!.GetValue<long>();
        Assert.Equal(dealId, (await (await admin.GetAsync($"/api/conversations/{conversation}")).OkJsonAsync())["dealId"]!.GetValue<long>());
        await (await http2.GetAsync($"/api/deals/{dealId}")).OkJsonAsync();
        var deal = await DealAsync(admin, dealId);
        var lost = await LossReasonAsync(admin);
        await (await http2.PatchJsonAsync($"/api/deals/{dealId}", new { amount = 1 })).ProblemAsync(HttpStatusCode.Conflict);
        await (await http2.PostJsonAsync($"/api/deals/{dealId}/close", new { outcome = "lost", lossReasonId = lost })).ProblemAsync(HttpStatusCode.Conflict);
        await (await http2.PostJsonAsync("/api/deals/bulk", new { ids = new[] { dealId }, assigneeId = m2.Id })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(deal, await DealAsync(admin, dealId));

        // Nor around it: merging its contact into one of manager2's own, or opening a conversation for it in manager2's
        // own channel (which would also keep the deal in manager2's sight once the shared conversation is taken).
        var contactId = (await (await admin.GetAsync($"/api/deals/{dealId}")).OkJsonAsync())["contact"]!.Id();
        var mine = await (await http2.PostJsonAsync("/api/contacts", new { name = "Mine", email = "mine-own2@example.com" })).OkJsonAsync(HttpStatusCode.Created);
        await (await http2.PostJsonAsync($"/api/contacts/{mine.Id()}/merge", new { otherContactId = contactId })).ProblemAsync(HttpStatusCode.Conflict);
        await (await http2.PostJsonAsync($"/api/contacts/{contactId}/merge", new { otherContactId = mine.Id() })).ProblemAsync(HttpStatusCode.Conflict);
        await (await http2.PostJsonAsync("/api/conversations", new { contactId, channelId = own.Id, text = "Hi, manager2 here", dealId }))
            .ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(deal, await DealAsync(admin, dealId));
        Assert.Equal(contactId, (await (await admin.GetAsync($"/api/deals/{dealId}")).OkJsonAsync())["contact"]!.Id());

        // The owner and staff still change it.
        await (await http1.PatchJsonAsync($"/api/deals/{dealId}", new { amount = 500 })).OkJsonAsync();
        await (await admin.PostJsonAsync($"/api/deals/{dealId}/close", new { outcome = "won" })).OkJsonAsync();
    }

    [Fact]
    public async Task An_upload_no_reply_has_taken_is_its_uploaders_alone()
    {
        var shared = await fixture.CreateApiChannelAsync(name: "Drafts");
        var m1 = await fixture.CreateUserAsync("up1", "manager", shared.Id);
        var m2 = await fixture.CreateUserAsync("up2", "manager", shared.Id);
        var conversation = (await fixture.IngestAsync(shared, "up-1", "up-cust", "Send me the contract")).Id("conversationId");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var form = new MultipartFormDataContent { { new ByteArrayContent("draft contract - unsent"u8.ToArray()), "file", "draft.txt" } };
        var upload = await (await http1.PostAsync($"/api/conversations/{conversation}/attachments", form)).OkJsonAsync(HttpStatusCode.Created);

        // manager2 sees the conversation, not the draft; neither does an admin.
        await (await http2.GetAsync($"/api/conversations/{conversation}")).OkJsonAsync();
        await (await http2.GetAsync(upload["url"]!.GetValue<string>())).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync(upload["url"]!.GetValue<string>())).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("draft contract - unsent", await (await http1.GetAsync(upload["url"]!.GetValue<string>())).Content.ReadAsStringAsync());

        // Once a reply takes it, it is the conversation's: the admin reads it.
        await (await http1.PostJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Here it is", attachmentIds = new[] { upload.Id() } }))
            .OkJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(upload["url"]!.GetValue<string>())).StatusCode);
    }

    [Fact]
    public async Task A_hidden_conversations_rating_and_mentions_stay_off_the_lead_and_contact_timelines()
    {
        var secret = "colleague-csat-" + Guid.NewGuid().ToString("N");
        var created = await fixture.CreateChannelAsync("api", "Rated", new JsonObject
        {
            ["secret"] = secret, ["csat"] = new JsonObject { ["enabled"] = true, ["question"] = "How did we do?" },
        });
        var channel = new AppFixture.ApiChannel(created.Id(), secret);
        var m1 = await fixture.CreateUserAsync("rate1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("rate2", "manager", channel.Id);
        var m3 = await fixture.CreateUserAsync("rate3", "manager");
        using var admin = fixture.App.Http(fixture.AdminToken);
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var conversation = (await fixture.IngestAsync(channel, "rate-1", "rate-cust", "Where is my discount?", "Rita")).Id("conversationId");
        var details = await (await admin.GetAsync($"/api/conversations/{conversation}")).OkJsonAsync();
        var leadId = details["leadId"]!.GetValue<long>();
        var contactId = details["contact"]!.Id();
        // The lead is manager2's; the conversation manager1's (taking a conversation leaves an owned lead its owner).
        await (await admin.PatchJsonAsync($"/api/leads/{leadId}", new { assigneeId = m2.Id })).OkJsonAsync();
        (await http1.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        await (await http1.PostJsonAsync($"/api/conversations/{conversation}/messages",
            new { text = "@rate3 promised PELICAN-50", @private = true, mentionUserIds = new[] { m3.Id } })).OkJsonAsync(HttpStatusCode.Accepted);
        (await http1.PostAsJsonAsync($"/api/conversations/{conversation}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        string link;
        await using (var db = fixture.Db())
        {
            link = await db.ExecuteScalarAsync<string>("""
                select m.text from messages m where m.conversation_id = @conversation and m.metadata->>'automated' = 'csat'
                """, new { conversation }) ?? "";
        }
        var path = new Uri(link[link.IndexOf("http", StringComparison.Ordinal)..].Trim()).AbsolutePath;
        using var customer = fixture.App.Http();
        var answer = await customer.PostAsJsonAsync(path, new { rating = 2, comment = "PELICAN-50 did not work" });
        Assert.True(answer.IsSuccessStatusCode, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");

        // The admin's timeline has both entries: the check below can see them when they are there.
        var all = await TimelineAsync(admin, $"/api/leads/{leadId}/timeline");
        Assert.Contains("csat", all.Select(e => e["type"]!.GetValue<string>()));
        // The entry carries who mentioned whom, so the web app words it in its user's language.
        var mention = all.Single(e => e["type"]!.GetValue<string>() == "participants")["data"]!;
        Assert.Equal(("rate1", "rate3"), (mention["byName"]!.GetValue<string>(), mention["added"]!.GetValue<string>()));
        foreach (var url in new[] { $"/api/leads/{leadId}/timeline", $"/api/contacts/{contactId}/timeline" })
        {
            var seen = await TimelineAsync(http2, url);
            Assert.NotEmpty(seen);
            Assert.DoesNotContain(seen, e => e["data"]?["conversationId"]?.GetValue<long>() == conversation
                && e["type"]!.GetValue<string>() is "csat" or "participants" or "message");
            Assert.DoesNotContain("PELICAN", string.Join("", seen.Select(e => e.ToJsonString())), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_colleague_mentioned_into_a_conversation_reads_it_and_adds_notes_but_does_not_work_it()
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Mentions");
        var m1 = await fixture.CreateUserAsync("men1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("men2", "manager");
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        var conversation = (await fixture.IngestAsync(channel, "men-1", "men-cust", "Can I get a discount?", "Bob")).Id("conversationId");
        (await http1.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        var leadId = (await (await http1.GetAsync($"/api/conversations/{conversation}")).OkJsonAsync())["leadId"]!.GetValue<long>();
        var dealId = (await (await http1.PostJsonAsync($"/api/leads/{leadId}/convert", new { title = "Bob walrus deal", amount = 77777 })).OkJsonAsync())["dealId"]!.GetValue<long>();
        await (await http1.PostJsonAsync($"/api/conversations/{conversation}/messages",
            new { text = "what do you think?", @private = true, mentionUserIds = new[] { m2.Id } })).OkJsonAsync(HttpStatusCode.Accepted);
        var before = await (await http1.GetAsync($"/api/conversations/{conversation}")).OkJsonAsync();
        Assert.False(before["participant"]!.GetValue<bool>());

        // manager2 reads it, marks it read and answers in a note...
        var seen = await (await http2.GetAsync($"/api/conversations/{conversation}")).OkJsonAsync();
        Assert.True(seen["participant"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, (await http2.PostAsJsonAsync($"/api/conversations/{conversation}/read", new { })).StatusCode);
        await (await http2.PostJsonAsync($"/api/conversations/{conversation}/messages", new { text = "give 5 %", @private = true }))
            .OkJsonAsync(HttpStatusCode.Accepted);
        // ...but neither answers the customer nor takes, snoozes or resolves it.
        var refusal = await (await http2.PostJsonAsync($"/api/conversations/{conversation}/messages", new { text = "Hi Bob, 50 % off!" }))
            .ProblemAsync(HttpStatusCode.Forbidden);
        Assert.StartsWith("You were mentioned in this conversation", refusal, StringComparison.Ordinal);
        await (await http2.PostJsonAsync($"/api/conversations/{conversation}/assign", new { userId = m2.Id })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await http2.PostJsonAsync($"/api/conversations/{conversation}/status", new { status = "resolved" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await http2.PostJsonAsync($"/api/conversations/{conversation}/snooze", new { preset = "nextMorning" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await http2.PutAsJsonAsync($"/api/conversations/{conversation}/labels", new { labelIds = Array.Empty<long>() })).ProblemAsync(HttpStatusCode.Forbidden);
        // The bulk route answers as the single one does (it said 404, as if the conversation were not there), and adds nothing.
        using (var admin = fixture.App.Http(fixture.AdminToken))
        {
            var label = (await (await admin.PostJsonAsync("/api/labels", new { name = "walrus-" + Guid.NewGuid().ToString("N")[..6], color = "#336699" }))
                .OkJsonAsync(HttpStatusCode.Created)).Id();
            Assert.StartsWith("You were mentioned in this conversation",
                await (await http2.PostJsonAsync("/api/conversations/labels", new { conversationIds = new[] { conversation }, add = new[] { label } }))
                    .ProblemAsync(HttpStatusCode.Forbidden), StringComparison.Ordinal);
        }
        var after = await (await http1.GetAsync($"/api/conversations/{conversation}")).OkJsonAsync();
        Assert.Empty(after["labels"]!.AsArray());
        Assert.Equal(m1.Id, after["assignee"]!.Id());
        Assert.Equal("open", after["status"]!.GetValue<string>());
        var texts = (await (await http1.GetAsync($"/api/conversations/{conversation}/messages")).OkJsonAsync())["items"]!.ToJsonString();
        Assert.Contains("give 5 %", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("50 % off", texts, StringComparison.Ordinal);

        // The deal is manager1's: manager2 does not see it, nor its figures through a canned response's variables.
        await (await http2.GetAsync($"/api/deals/{dealId}")).ProblemAsync(HttpStatusCode.NotFound);
        var canned = (await (await http2.PostJsonAsync("/api/canned-responses",
            new { shortcut = "peek" + Guid.NewGuid().ToString("N")[..6], text = "Deal [{{deal.title}}] [{{deal.amount}}] for {{contact.name}}" }))
            .OkJsonAsync(HttpStatusCode.Created)).Id();
        var rendered = await (await http2.PostJsonAsync($"/api/canned-responses/{canned}/render", new { conversationId = conversation })).OkJsonAsync();
        Assert.Equal("Deal [] [] for Bob", rendered["text"]!.GetValue<string>());
    }

    private static async Task<List<JsonNode>> TimelineAsync(HttpClient http, string url) =>
        (await (await http.GetAsync(url + "?limit=100")).OkJsonAsync())["items"]!.AsArray().Select(e => e!).ToList();

    private static async Task<string> LeadAsync(HttpClient http, long id) => (await (await http.GetAsync($"/api/leads/{id}")).OkJsonAsync()).ToJsonString();

    private static async Task<string> DealAsync(HttpClient http, long id) => (await (await http.GetAsync($"/api/deals/{id}")).OkJsonAsync()).ToJsonString();

    private static async Task<long> LossReasonAsync(HttpClient http) =>
        (await (await http.GetAsync("/api/loss-reasons")).OkJsonOrArrayAsync()).AsArray()[0]!.Id();

    [Fact]
    public async Task A_conversation_read_while_a_colleague_takes_it_is_either_still_workable_or_gone_never_notes_only()
    {
        // The details are six statements; each had its own snapshot, so an assignment committing between the first (the
        // conversation, still visible) and the last (may the caller work it?) made a channel member a "participant" and
        // the web app turned the reply box into a private note. The read now stops at its third statement (a lock the
        // test holds) while the colleague's assignment commits.
        var (conversation, annaToken, read) = await AskWhileBorisTakesItAsync("midread", "contact_identities", "%contact_identities%",
            "the read never reached its third statement", (http, id) => http.GetAsync($"/api/conversations/{id}"));
        using var httpA = fixture.App.Http(annaToken);

        var details = await read.OkJsonAsync();
        // As it was when the read began: unassigned, in anna's channel, hers to work.
        Assert.Null(details["assignee"]);
        Assert.False(details["participant"]!.GetValue<bool>());
        // Read again: no longer hers to see.
        Assert.Equal(HttpStatusCode.NotFound, (await httpA.GetAsync($"/api/conversations/{conversation}")).StatusCode);
    }

    [Fact]
    public async Task A_status_change_that_waited_while_a_colleague_took_the_conversation_is_refused_and_changes_nothing()
    {
        // The status change asked "may I work it?" on its own connection, then updated the conversation whoever held it
        // by then. It now stops after that check, at its row lock (the lock's statement reads channels, which the test
        // holds), while a colleague's take commits.
        var (conversation, _, resolve) = await AskWhileBorisTakesItAsync("midstatus", "channels", "%for update of c%",
            "the status change never reached its row lock", (http, id) => http.PostAsJsonAsync($"/api/conversations/{id}/status", new { status = "resolved" }));

        // Boris's now, out of anna's sight: the same answer as asking after the take, and the conversation still open.
        await resolve.ProblemAsync(HttpStatusCode.NotFound);
        await using var db = fixture.Db();
        Assert.Equal("open", await db.ExecuteScalarAsync<string>("select status from conversations where id = @conversation", new { conversation }));
    }

    /// <summary>
    /// Anna sends <paramref name="request"/> about an unassigned conversation of a channel she and boris work while the test
    /// holds <paramref name="table"/>; once her request waits for it (a statement like <paramref name="blockedLike"/>), boris
    /// takes the conversation (the test waits for his commit, not his answer: his pushes may wait for the lock too), then
    /// the lock goes and her answer comes.
    /// </summary>
    [Fact]
    public async Task A_snooze_that_waited_while_a_colleague_took_the_conversation_is_refused_and_changes_nothing()
    {
        // Held after its access check, in the next-morning lookup (which joins channels), while boris's take commits.
        var (conversation, _, snooze) = await AskWhileBorisTakesItAsync("midsnooze", "channels", "%ch.settings::text from conversations%",
            "the snooze never reached its next-morning lookup",
            (http, id) => http.PostAsJsonAsync($"/api/conversations/{id}/snooze", new { preset = "nextMorning" }));

        await snooze.ProblemAsync(HttpStatusCode.NotFound);
        await using var db = fixture.Db();
        Assert.Equal("open", await db.ExecuteScalarAsync<string>("select status from conversations where id = @conversation", new { conversation }));
    }

    private async Task<(long Conversation, string AnnaToken, HttpResponseMessage Answer)> AskWhileBorisTakesItAsync(
        string prefix, string table, string blockedLike, string what, Func<HttpClient, long, Task<HttpResponseMessage>> request)
    {
        var channel = await fixture.CreateApiChannelAsync(name: "Taken midway");
        var anna = await fixture.CreateUserAsync(prefix + "-a", "manager", channel.Id);
        var boris = await fixture.CreateUserAsync(prefix + "-b", "manager", channel.Id);
        using var httpA = fixture.App.Http(anna.Token);
        using var httpB = fixture.App.Http(boris.Token);
        var conversation = (await fixture.IngestAsync(channel, prefix + "-1", prefix + "-cust", "Who can help me?", "Tom")).Id("conversationId");

        await using var holder = fixture.Db();
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync($"lock table {table} in access exclusive mode", transaction: tx);
        var answer = request(httpA, conversation);
        await fixture.UntilBlockedAsync(blockedLike, what);
        var assign = httpB.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { userId = boris.Id });
        await fixture.UntilAsync("select count(*) from conversations where id = @conversation and assignee_id = @boris",
            new { conversation, boris = boris.Id }, "the assignment never committed");
        await tx.RollbackAsync();
        (await assign).EnsureSuccessStatusCode();
        return (conversation, anna.Token, await answer);
    }
}
