using System.Net;
using System.Net.Http.Json;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>Rendering a canned response into a conversation: its variables, who may render where, and the files it carries.</summary>
public sealed class CannedRenderTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Render_fills_the_contact_the_agent_the_conversation_and_its_open_deal()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("Olga", "manager", channel.Id);
        var conversation = await ConversationAsync(channel, "Анна Петрова", "anna@example.com");
        using var admin = fixture.App.Http(fixture.AdminToken);
        await using (var db = fixture.Db())
        {
            var lead = await db.ExecuteScalarAsync<long>("select lead_id from conversations where id = @conversation", new { conversation });
            var deal = (await (await admin.PostJsonAsync($"/api/leads/{lead}/convert", new { assigneeId = manager.Id })).OkJsonAsync())["dealId"]!.GetValue<long>();
            await db.ExecuteAsync("""
                update deals set title = 'Big order', amount = 1500.50, currency = 'EUR' where id = @deal;
                update contacts set phone = '+15550001111' where id = (select contact_id from conversations where id = @conversation);
                """, new { deal, conversation });
        }
        using var http = fixture.App.Http(manager.Token);
        var id = await CreateAsync(http, "Hi {{contact.name}} ({{ contact.email }}, {{contact.phone}}), I am {{agent.name}}. #{{conversation.id}}: "
            + "{{deal.title}} {{deal.amount}} {{deal.currency}} at {{deal.stage}}.{{lead.title}}{{nonsense.var}}{{ contact.Name }} {not} {{two words}}");

        var text = await RenderAsync(http, id, conversation);

        Assert.Equal($"Hi Анна Петрова (anna@example.com, +15550001111), I am Olga. #{conversation}: Big order 1500.5 EUR at New.Анна Петрова {{not}} {{{{two words}}}}", text);
    }

    [Fact]
    public async Task Without_a_deal_the_open_lead_fills_in_and_missing_values_are_empty()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("lead-agent", "manager", channel.Id);
        var conversation = await ConversationAsync(channel, null, null);
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("""
                update leads set title = 'Website enquiry' where id = (select lead_id from conversations where id = @conversation);
                update contacts set name = null, email = null where id = (select contact_id from conversations where id = @conversation);
                """, new { conversation });
        }
        using var http = fixture.App.Http(manager.Token);
        var id = await CreateAsync(http, "[{{contact.name}}|{{contact.email}}|{{deal.title}}|{{lead.title}}|{{lead.status}}]");

        Assert.Equal("[|||Website enquiry|new]", await RenderAsync(http, id, conversation));
    }

    [Fact]
    public async Task Rendering_into_a_conversation_the_caller_does_not_see_is_a_404_like_the_conversation_routes()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("owner-agent", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("other-agent", "manager", channel.Id);
        var conversation = await ConversationAsync(channel, "Ben", null);
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        (await http1.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        using var admin = fixture.App.Http(fixture.AdminToken);
        var shared = (await (await admin.PostJsonAsync("/api/canned-responses", new { shortcut = "hello", text = "Hello {{contact.name}}", shared = true }))
            .OkJsonAsync(HttpStatusCode.Created)).Id();

        Assert.Equal("Hello Ben", await RenderAsync(http1, shared, conversation));
        var hidden = await (await http2.PostJsonAsync($"/api/canned-responses/{shared}/render", new { conversationId = conversation })).ProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await http2.PostJsonAsync($"/api/canned-responses/{shared}/render", new { conversationId = 987654 })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(missing, hidden);
        await (await http1.PostJsonAsync("/api/canned-responses/987654/render", new { conversationId = conversation })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_responses_files_become_fresh_uploads_of_the_conversation_that_the_reply_sends()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var manager = await fixture.CreateUserAsync("file-agent", "manager", channel.Id);
        var conversation = await ConversationAsync(channel, "Cat", null);
        using var http = fixture.App.Http(manager.Token);
        var id = await CreateAsync(http, "Price list attached, {{contact.name}}");
        var pdf = "%PDF-1.4 prices"u8.ToArray();
        using (var form = new MultipartFormDataContent())
        {
            var part = new ByteArrayContent(pdf);
            part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(part, "file", "prices.pdf");
            var withFile = await (await http.PostAsync($"/api/canned-responses/{id}/attachments", form)).OkJsonAsync(HttpStatusCode.Created);
            Assert.Equal("prices.pdf", withFile["attachments"]![0]!["fileName"]!.GetValue<string>());
        }

        var rendered = await (await http.PostJsonAsync($"/api/canned-responses/{id}/render", new { conversationId = conversation })).OkJsonAsync();
        var upload = rendered["attachments"]![0]!.Id();
        var reply = await (await http.PostJsonAsync($"/api/conversations/{conversation}/messages",
            new { text = rendered["text"]!.GetValue<string>(), clientMessageId = "canned-file", attachmentIds = new[] { upload } })).OkJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("Price list attached, Cat", reply["text"]!.GetValue<string>());
        Assert.Equal("prices.pdf", reply["attachments"]![0]!["fileName"]!.GetValue<string>());
        Assert.Equal(pdf, await http.GetByteArrayAsync($"/api/attachments/{upload}"));
        // The response keeps its own copy: a second render makes a second upload.
        var again = await (await http.PostJsonAsync($"/api/canned-responses/{id}/render", new { conversationId = conversation })).OkJsonAsync();
        Assert.NotEqual(upload, again["attachments"]![0]!.Id());
    }

    private async Task<long> ConversationAsync(AppFixture.ApiChannel channel, string? name, string? email)
    {
        var response = await fixture.PostInboundAsync(channel, AppFixture.InboundBody("in-" + Guid.NewGuid().ToString("N")[..8], "cust-" + Guid.NewGuid().ToString("N")[..8], "hello", name, email));
        return (await response.OkJsonAsync(HttpStatusCode.Accepted))["conversationId"]!.GetValue<long>();
    }

    private static async Task<long> CreateAsync(HttpClient http, string text) =>
        (await (await http.PostJsonAsync("/api/canned-responses", new { shortcut = "t" + Guid.NewGuid().ToString("N")[..8], text })).OkJsonAsync(HttpStatusCode.Created)).Id();

    private static async Task<string> RenderAsync(HttpClient http, long id, long conversation) =>
        (await (await http.PostJsonAsync($"/api/canned-responses/{id}/render", new { conversationId = conversation })).OkJsonAsync())["text"]!.GetValue<string>();
}
