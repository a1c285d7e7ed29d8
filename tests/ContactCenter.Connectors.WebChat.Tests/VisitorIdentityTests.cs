using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.WebChat.Widget;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>
/// An anonymous visitor who types a known customer's email (or phone) stays a contact of their own (issue 15):
/// they must not inherit the customer's name, phone or deal. Only what the site vouches for joins the customer.
/// </summary>
public sealed class VisitorIdentityTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>, IAsyncLifetime
{
    private const string Secret = "site-secret-0123456789abcdef";

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Customer(long ContactId, long DealId);

    /// <summary>A customer the CRM knows: name, email, phone and an open deal.</summary>
    private async Task<Customer> KnownCustomerAsync()
    {
        long contactId;
        await using (var db = fixture.Db())
        {
            contactId = await db.ExecuteScalarAsync<long>(
                "insert into contacts (name, email, phone) values ('Grace Hopper', 'grace@example.com', '+14155550100') returning id");
        }
        using var http = fixture.App.Http(fixture.AdminToken);
        var deal = await http.PostAsJsonAsync("/api/deals", new { title = "Grace's big order", amount = 5000, contactId });
        Assert.Equal(HttpStatusCode.Created, deal.StatusCode);
        return new Customer(contactId, (await deal.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>());
    }

    private async Task<JsonObject> SendAndReadConversationAsync(WebChatFixture.VisitorSession visitor, string text)
    {
        var sent = await fixture.SendAsync(visitor, text);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var conversationId = (await sent.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();
        using var http = fixture.App.Http(fixture.AdminToken);
        return (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}"))!;
    }

    [Fact]
    public async Task A_visitor_who_types_a_known_customers_email_gets_a_new_contact_without_their_name_phone_or_deal()
    {
        var customer = await KnownCustomerAsync();
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key, new { name = "Mallory", email = "Grace@Example.com" });

        var conversation = await SendAndReadConversationAsync(visitor, "Please change the delivery address of my order");

        var contact = conversation["contact"]!.AsObject();
        Assert.NotEqual(customer.ContactId, contact["id"]!.GetValue<long>());
        Assert.Equal("Mallory", contact["name"]!.GetValue<string>());
        Assert.Null(contact["phone"]);
        Assert.NotEqual(customer.DealId, conversation["dealId"]?.GetValue<long>());
        Assert.NotNull(conversation["leadId"]);
        await using var db = fixture.Db();
        Assert.Equal("Grace Hopper", await db.ExecuteScalarAsync<string>("select name from contacts where id = @ContactId", customer));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from conversations where contact_id = @ContactId", customer));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>(
            "select count(*) from timeline_entries where deal_id = @DealId and type = 'message'", customer));
    }

    [Fact]
    public async Task A_verified_visitor_with_a_different_identifier_does_not_join_by_the_email_they_give()
    {
        var customer = await KnownCustomerAsync();
        var channel = await fixture.CreateWebchatAsync(secret: Secret);
        var visitor = await fixture.StartSessionAsync(channel.Key, new
        {
            identifier = "customer-43", identifierHash = IdentifierHash.Compute(Secret, "customer-43"), email = "grace@example.com",
        });

        var conversation = await SendAndReadConversationAsync(visitor, "hello");

        Assert.NotEqual(customer.ContactId, conversation["contact"]!["id"]!.GetValue<long>());
        Assert.NotEqual(customer.DealId, conversation["dealId"]?.GetValue<long>());
    }

    [Fact]
    public async Task A_visitor_the_site_vouches_for_by_email_joins_the_known_customer_and_their_deal()
    {
        var customer = await KnownCustomerAsync();
        var channel = await fixture.CreateWebchatAsync(secret: Secret);
        var visitor = await fixture.StartSessionAsync(channel.Key, new
        {
            identifier = "grace@example.com", identifierHash = IdentifierHash.Compute(Secret, "grace@example.com"), email = "grace@example.com",
        });

        var conversation = await SendAndReadConversationAsync(visitor, "It's me, Grace");

        Assert.Equal(customer.ContactId, conversation["contact"]!["id"]!.GetValue<long>());
        Assert.Equal("Grace Hopper", conversation["contact"]!["name"]!.GetValue<string>());
        Assert.Equal(customer.DealId, conversation["dealId"]!.GetValue<long>());
        Assert.Null(conversation["possibleDuplicate"]);
    }

    [Fact]
    public async Task A_visitor_whose_identifier_prefixes_anothers_cannot_replay_that_visitors_message_by_its_client_id()
    {
        var channel = await fixture.CreateWebchatAsync(secret: Secret);
        var first = await fixture.StartSessionAsync(channel.Key, new
        {
            identifier = "carol/x@example.com", identifierHash = IdentifierHash.Compute(Secret, "carol/x@example.com"),
        });
        var second = await fixture.StartSessionAsync(channel.Key, new { identifier = "carol", identifierHash = IdentifierHash.Compute(Secret, "carol") });
        var secret = await fixture.SendAsync(first, "my card ends 4242", clientMessageId: "1");
        Assert.Equal(HttpStatusCode.Created, secret.StatusCode);
        var secretId = (await secret.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

        // Unescaped, "user:N:carol" + "/" + "x@example.com/1" was the first visitor's external id: a "repeat" of their message.
        var sent = await fixture.SendAsync(second, "hello", clientMessageId: "x@example.com/1");

        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var answer = (await sent.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotEqual(secretId, answer["id"]!.GetValue<long>());
        Assert.Equal("hello", answer["text"]!.GetValue<string>());
        Assert.Equal("x@example.com/1", answer["clientMessageId"]!.GetValue<string>());
        var history = (await fixture.HistoryAsync(second))["items"]!.AsArray();
        Assert.Equal(["hello"], history.Select(m => m!["text"]!.GetValue<string>()));
        // The same id again is still the same message (stored once), and the first visitor's history is theirs alone.
        var again = (await (await fixture.SendAsync(second, "hello", clientMessageId: "x@example.com/1")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(answer["id"]!.GetValue<long>(), again["id"]!.GetValue<long>());
        Assert.Equal(["my card ends 4242"], (await fixture.HistoryAsync(first))["items"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_form_submitter_with_a_known_customers_email_and_phone_gets_a_new_contact_and_lead()
    {
        var customer = await KnownCustomerAsync();
        var form = await fixture.CreateChannelAsync("webform", new JsonObject
        {
            ["allowedOrigins"] = new JsonArray(WebChatFixture.SiteOrigin),
            ["fields"] = new JsonArray("name", new JsonObject { ["name"] = "email", ["type"] = "email" }, "phone", "message"),
        });
        using var http = fixture.Site();

        var response = await http.PostAsJsonAsync($"/api/forms/{form.Key}", new
        {
            name = "Mallory", email = "grace@example.com", phone = "+1 415 555 0100", message = "Cancel my order",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Null(body["dealId"]);
        var leadId = body["leadId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var contact = await db.QuerySingleAsync<(long Id, string Name)>(
            "select c.id, c.name from leads l join contacts c on c.id = l.contact_id where l.id = @leadId", new { leadId });
        Assert.NotEqual(customer.ContactId, contact.Id);
        Assert.Equal("Mallory", contact.Name);
        Assert.Equal("Grace Hopper", await db.ExecuteScalarAsync<string>("select name from contacts where id = @ContactId", customer));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from conversations where contact_id = @ContactId", customer));
    }

    [Fact]
    public async Task A_visitors_typed_email_is_never_used_to_match_a_later_sender_onto_their_contact()
    {
        var channel = await fixture.CreateWebchatAsync();
        var squatter = await fixture.StartSessionAsync(channel.Key, new { name = "Mallory", email = "newcustomer@example.com" });
        var first = await SendAndReadConversationAsync(squatter, "I am the new customer");
        var api = await fixture.CreateApiChannelAsync();

        // The real owner of the address arrives through a channel that proves it (a signed integration here).
        var response = await fixture.PostInboundAsync(api, AppFixture.InboundBody("real-1", "crm-77", "Hello", "Real Customer", "newcustomer@example.com"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var conversationId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var contactId = await db.ExecuteScalarAsync<long>("select contact_id from conversations where id = @conversationId", new { conversationId });
        Assert.NotEqual(first["contact"]!["id"]!.GetValue<long>(), contactId);
    }
    [Fact]
    public async Task The_possible_duplicate_is_shown_to_a_manager_who_may_see_both_omitted_for_one_who_may_not_and_merged_by_hand()
    {
        var api = await fixture.CreateApiChannelAsync();
        var known = await fixture.PostInboundAsync(api, AppFixture.InboundBody("k-1", "crm-1", "Where is my order?", "Grace Hopper", "grace@example.com"));
        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        var chat = await fixture.CreateWebchatAsync();
        var both = await fixture.CreateManagerAsync("both", api.Id, chat.Id);
        var chatOnly = await fixture.CreateManagerAsync("chatonly", chat.Id);
        var visitor = await fixture.StartSessionAsync(chat.Key, new { email = "grace@example.com" });
        var sent = await fixture.SendAsync(visitor, "hi, it's Grace");
        var conversationId = (await sent.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var customerId = await db.ExecuteScalarAsync<long>("select contact_id from contact_identities where address = 'crm-1'");
        using var bothHttp = fixture.App.Http(both.Token);
        using var chatOnlyHttp = fixture.App.Http(chatOnly.Token);

        var seenByBoth = (await bothHttp.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}"))!;
        var seenByChatOnly = await chatOnlyHttp.GetStringAsync($"/api/conversations/{conversationId}");

        Assert.Equal(customerId, seenByBoth["possibleDuplicate"]!["contactId"]!.GetValue<long>());
        Assert.Equal("Grace Hopper", seenByBoth["possibleDuplicate"]!["name"]!.GetValue<string>());
        Assert.False(JsonNode.Parse(seenByChatOnly)!.AsObject().ContainsKey("possibleDuplicate"));
        Assert.DoesNotContain("Grace Hopper", seenByChatOnly);
        var visitorContact = seenByBoth["contact"]!["id"]!.GetValue<long>();
        Assert.NotEqual(customerId, visitorContact);

        // The chat-only manager cannot merge into a contact they may not see; the one who sees both can.
        Assert.Equal(HttpStatusCode.NotFound, (await chatOnlyHttp.PostAsJsonAsync($"/api/contacts/{customerId}/merge", new { otherContactId = visitorContact })).StatusCode);
        var merged = await bothHttp.PostAsJsonAsync($"/api/contacts/{customerId}/merge", new { otherContactId = visitorContact });

        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var after = (await bothHttp.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}"))!;
        Assert.Equal(customerId, after["contact"]!["id"]!.GetValue<long>());
        Assert.Equal("Grace Hopper", after["contact"]!["name"]!.GetValue<string>());
        Assert.False(after.ContainsKey("possibleDuplicate"));
        Assert.Equal(1, await fixture.CountAsync("contacts"));
        // The visitor keeps their own conversation after the merge.
        Assert.Equal(["hi, it's Grace"], (await fixture.HistoryAsync(visitor))["items"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_email_given_after_the_first_message_is_not_matched_but_suggested()
    {
        var customer = await KnownCustomerAsync();
        var channel = await fixture.CreateWebchatAsync();
        var visitor = await fixture.StartSessionAsync(channel.Key);
        var first = await SendAndReadConversationAsync(visitor, "hello");
        using var site = fixture.Site(visitorToken: visitor.Token);

        var profile = await site.PostAsJsonAsync("/api/widget/profile", new { email = "grace@example.com" });

        Assert.Equal(HttpStatusCode.NoContent, profile.StatusCode);
        using var http = fixture.App.Http(fixture.AdminToken);
        var conversation = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{first["id"]}"))!;
        Assert.NotEqual(customer.ContactId, conversation["contact"]!["id"]!.GetValue<long>());
        Assert.Equal(customer.ContactId, conversation["possibleDuplicate"]!["contactId"]!.GetValue<long>());
        var again = await SendAndReadConversationAsync(visitor, "still me");
        Assert.Equal(first["contact"]!["id"]!.GetValue<long>(), again["contact"]!["id"]!.GetValue<long>());
        Assert.NotEqual(customer.DealId, again["dealId"]?.GetValue<long>());
    }
}
