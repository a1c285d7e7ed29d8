using System.Net;
using System.Net.Http.Json;

namespace ContactCenter.Connectors.WhatsApp.Tests;

[Collection(WhatsAppCollection.Name)]
public sealed class WhatsAppOwnershipTests(WhatsAppFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAllAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_manager_who_is_not_a_member_of_the_channel_neither_sees_the_conversation_nor_its_whatsapp_routes()
    {
        var channel = await fixture.CreateWhatsAppChannelAsync();
        fixture.Graph.Templates(channel);
        await fixture.TextAsync(channel, "Hi, I'd like to order");
        var conversationId = await fixture.ConversationIdAsync();
        var member = await fixture.CreateUserAsync("wa-member", "manager", channel.Id);
        var outsider = await fixture.CreateUserAsync("wa-outsider", "manager");
        using var asMember = fixture.App.Http(member.Token);
        using var asOutsider = fixture.App.Http(outsider.Token);

        Assert.Equal(HttpStatusCode.OK, (await asMember.GetAsync($"/api/conversations/{conversationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asMember.GetAsync($"/api/conversations/{conversationId}/whatsapp")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await asOutsider.GetAsync($"/api/conversations/{conversationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asOutsider.GetAsync($"/api/conversations/{conversationId}/whatsapp")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asOutsider.GetAsync($"/api/conversations/{conversationId}/whatsapp/templates")).StatusCode);
        var template = await asOutsider.PostAsJsonAsync($"/api/conversations/{conversationId}/whatsapp/template",
            new { name = "hello_world", language = "en_US" });
        Assert.Equal(HttpStatusCode.NotFound, template.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.ReplyAsync(conversationId, "Not mine", outsider.Token)).StatusCode);
        var list = await asOutsider.GetStringAsync("/api/conversations");
        Assert.DoesNotContain("I'd like to order", list);
        // The outsider's probes never reached Meta.
        Assert.DoesNotContain(fixture.Graph.LogEntries, e => e.RequestMessage.Path.EndsWith("/message_templates", StringComparison.Ordinal));
    }
}
