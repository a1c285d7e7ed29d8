using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.WhatsApp.Tests;

[Collection(WhatsAppCollection.Name)]
public sealed class WhatsAppWindowTests(WhatsAppFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A conversation whose customer last wrote 25 hours ago: the 24-hour window is closed.</summary>
    private async Task<(WhatsAppFixture.WaChannel Channel, long ConversationId)> ClosedAsync()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        await fixture.TextAsync(channel, "Hi, is the sofa still on sale?", DateTimeOffset.UtcNow.AddHours(-25));
        return (channel, await fixture.ConversationIdAsync());
    }

    [Fact]
    public async Task Outside_the_24_hour_window_a_free_form_reply_is_refused_and_nothing_is_queued()
    {
        var (channel, conversationId) = await ClosedAsync();

        var reply = await fixture.ReplyAsync(conversationId, "Sorry for the late answer");

        Assert.Equal(HttpStatusCode.Conflict, reply.StatusCode);
        var problem = (await reply.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("whatsapp-window-closed", problem["code"]!.GetValue<string>());
        Assert.Contains("24-hour", problem["detail"]!.GetValue<string>());
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'outbound'"));
        Assert.Equal(0, await fixture.CountAsync("outbox where kind = 'send'"));
        Assert.Empty(fixture.Graph.Sends(channel));
    }

    [Fact]
    public async Task The_window_state_says_closed_after_24_hours_and_open_after_the_customer_writes_again()
    {
        var (channel, conversationId) = await ClosedAsync();
        using var http = fixture.App.Http(fixture.AdminToken);

        var closed = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/whatsapp"))!;
        await fixture.TextAsync(channel, "Hello again");
        var open = (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{conversationId}/whatsapp"))!;

        Assert.False(closed["windowOpen"]!.GetValue<bool>());
        Assert.True(closed["templatesAvailable"]!.GetValue<bool>());
        Assert.True(open["windowOpen"]!.GetValue<bool>());
        Assert.True(open["windowClosesAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddHours(23));
        fixture.Graph.Sent(channel, WhatsAppFixture.NewWamid());
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.ReplyAsync(conversationId, "Welcome back")).StatusCode);
    }

    [Fact]
    public async Task The_accounts_approved_templates_are_listed()
    {
        var (channel, conversationId) = await ClosedAsync();
        fixture.Graph.Templates(channel);
        using var http = fixture.App.Http(fixture.AdminToken);

        var templates = (await http.GetFromJsonAsync<JsonArray>($"/api/conversations/{conversationId}/whatsapp/templates"))!;

        Assert.Equal(["hello_world", "order_update"], templates.Select(t => t!["name"]!.GetValue<string>()));
        var order = templates.Single(t => t!["name"]!.GetValue<string>() == "order_update")!;
        Assert.Equal("en_US", order["language"]!.GetValue<string>());
        Assert.Equal(2, order["parameterCount"]!.GetValue<int>());
        Assert.Equal("Hello {{1}}, your order {{2}} is ready for delivery.", order["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_template_with_parameters_is_sent_outside_the_window_and_reads_as_its_filled_in_text()
    {
        var (channel, conversationId) = await ClosedAsync();
        fixture.Graph.Templates(channel);
        var wamid = WhatsAppFixture.NewWamid();
        fixture.Graph.Sent(channel, wamid);
        using var http = fixture.App.Http(fixture.AdminToken);

        var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/whatsapp/template",
            new { name = "order_update", language = "en_US", parameters = new[] { "Sheena", "#2041" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Hello Sheena, your order #2041 is ready for delivery.", message["text"]!.GetValue<string>());
        await fixture.EventuallyAsync<string>("select status from messages where direction = 'outbound'", s => s == "sent");
        var body = Assert.Single(fixture.Graph.Sends(channel)).Json();
        Assert.Equal("template", body["type"]!.GetValue<string>());
        Assert.Equal("order_update", body["template"]!["name"]!.GetValue<string>());
        Assert.Equal("en_US", body["template"]!["language"]!["code"]!.GetValue<string>());
        var parameters = body["template"]!["components"]![0]!["parameters"]!.AsArray();
        Assert.Equal(["Sheena", "#2041"], parameters.Select(p => p!["text"]!.GetValue<string>()));
        Assert.Null(body["text"]);
    }

    [Fact]
    public async Task A_template_that_is_not_approved_or_has_the_wrong_parameter_count_is_refused_with_400()
    {
        var (channel, conversationId) = await ClosedAsync();
        fixture.Graph.Templates(channel);
        using var http = fixture.App.Http(fixture.AdminToken);

        var pending = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/whatsapp/template",
            new { name = "spring_sale", language = "ru", parameters = new[] { "-20%" } });
        var wrongCount = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/whatsapp/template",
            new { name = "order_update", language = "en_US", parameters = new[] { "Sheena" } });
        var missingName = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/whatsapp/template", new { language = "en_US" });

        Assert.Equal(HttpStatusCode.BadRequest, pending.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongCount.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missingName.StatusCode);
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from messages where direction = 'outbound'"));
    }
}
