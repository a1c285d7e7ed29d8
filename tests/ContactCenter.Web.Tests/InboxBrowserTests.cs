using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>A manager works the inbox in real headless Chromium against the real server.</summary>
public sealed partial class InboxBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task Inbound_message_appears_live_with_its_badge_clears_when_opened_and_the_reply_ticks_to_sent()
    {
        Callback.Given(Request.Create().WithPath("/cb").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromMilliseconds(1500)));
        var channel = await Fx.CreateApiChannelAsync(Callback.Url + "/cb", "Shop " + Suffix);
        var manager = await Fx.CreateUserAsync("mgr" + Suffix, "manager", channel.Id);
        await SignInAsync(manager.Email);

        var ingested = await Fx.IngestAsync(channel, "ext-" + Suffix, "cust-" + Suffix, "Do you ship to Lisbon?", "Lena Customer");
        var conversationId = ingested["conversationId"]!.ToString();
        var item = Page.Locator($"[data-conversation-id='{conversationId}']");
        await Expect(item).ToContainTextAsync("Lena Customer");
        await Expect(item).ToContainTextAsync("Do you ship to Lisbon?");
        await Expect(item.GetByTestId("unread-badge")).ToHaveTextAsync("1");
        await Expect(Page).ToHaveTitleAsync(new Regex(@"^\(1\) ContactCenter$"));
        await Screenshot("inbox-unread");

        await item.ClickAsync();
        await Expect(Page.Locator(".message.inbound")).ToContainTextAsync("Do you ship to Lisbon?");
        await Expect(item.GetByTestId("unread-badge")).ToHaveCountAsync(0);
        await Expect(Page).ToHaveTitleAsync("ContactCenter");
        Assert.Equal(0, (await GetConversationAsync(manager.Token, conversationId))["unreadCount"]!.GetValue<long>());

        var composer = Page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await composer.PressSequentiallyAsync("Yes, we do.");
        await composer.PressAsync("Shift+Enter");
        await composer.PressSequentiallyAsync("Delivery takes 3 days.");
        await composer.PressAsync("Enter");
        await Expect(composer).ToHaveValueAsync("");
        var reply = Page.Locator(".message.outbound").Filter(new() { HasText = "Delivery takes 3 days." });
        await Expect(reply).ToHaveAttributeAsync("data-status", "queued");
        await Expect(reply.GetByTestId("ticks")).ToHaveAttributeAsync("aria-label", "Queued");
        await Expect(reply).ToHaveAttributeAsync("data-status", "sent");
        await Expect(reply.GetByTestId("ticks")).ToHaveAttributeAsync("aria-label", "Sent");
        await Screenshot("thread-sent");
        var delivered = Assert.Single(Callback.LogEntries);
        Assert.Contains("Yes, we do.\\nDelivery takes 3 days.", delivered.RequestMessage.Body);
    }

    [Fact]
    public async Task A_message_that_arrives_while_the_first_connection_is_still_joining_is_in_the_list()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Early " + Suffix);
        var manager = await Fx.CreateUserAsync("mgr" + Suffix, "manager", channel.Id);
        // The hub's negotiation waits until the message below is stored: a list read before the join would miss it.
        var stored = new TaskCompletionSource();
        await Page.RouteAsync("**/hubs/inbox/negotiate**", async route =>
        {
            await stored.Task;
            await route.ContinueAsync();
        });
        var listReads = 0;
        Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/conversations?", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref listReads);
            }
        };
        // The inbox asks for its channels as it mounts, in the same render whose list query waits for the join: once
        // that answer is back (a whole round trip later) and the hub's negotiation has been asked for, a list read that
        // did not wait would have been sent already.
        var channelsRead = Page.WaitForResponseAsync(r => r.Url.EndsWith("/api/channels", StringComparison.Ordinal));
        var negotiation = Page.WaitForRequestAsync("**/hubs/inbox/negotiate**");
        await Fx.SignInAsync(Page, manager.Email, waitForHub: false);
        await Task.WhenAll(channelsRead, negotiation);

        var ingested = await Fx.IngestAsync(channel, "early-" + Suffix, "cust-" + Suffix, "Are you open on Sunday?", "Early Bird");
        Assert.Equal(0, Volatile.Read(ref listReads)); // the list is read after the join, not before
        stored.SetResult();

        await Expect(Page.Locator($"[data-conversation-id='{ingested["conversationId"]}']")).ToContainTextAsync("Are you open on Sunday?");
        await Expect(Page).ToHaveTitleAsync(new Regex(@"^\(1\) ContactCenter$"));

        // Signed out, the sign-in page does not go on showing the manager's unread count in the tab.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(Page).ToHaveTitleAsync("ContactCenter");
    }

    [Fact]
    public async Task A_failed_reply_shows_its_reason_and_retry_sends_it()
    {
        Callback.Given(Request.Create().WithPath("/cb").UsingPost()).RespondWith(Response.Create().WithStatusCode(400));
        var channel = await Fx.CreateApiChannelAsync(Callback.Url + "/cb", "Refusing " + Suffix);
        var manager = await Fx.CreateUserAsync("mgr" + Suffix, "manager", channel.Id);
        var ingested = await Fx.IngestAsync(channel, "ext-" + Suffix, "cust-" + Suffix, "Hello?", "Olga");
        await SignInAsync(manager.Email);
        await Page.Locator($"[data-conversation-id='{ingested["conversationId"]}']").ClickAsync();

        var composer = Page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" });
        await composer.FillAsync("This will bounce first");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        var reply = Page.Locator(".message.outbound").Filter(new() { HasText = "This will bounce first" });
        await Expect(reply).ToHaveAttributeAsync("data-status", "failed", new() { Timeout = 30_000 }); // the outbox, not the page, sets the pace
        await Expect(reply.GetByRole(AriaRole.Alert)).ToContainTextAsync("refused the message (400)");
        await Screenshot("thread-failed");

        Callback.Reset();
        Callback.Given(Request.Create().WithPath("/cb").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        await reply.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(reply).ToHaveAttributeAsync("data-status", "sent");
        await Expect(reply.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task After_the_connection_drops_it_shows_reconnecting_then_catches_up_on_everything_missed()
    {
        Callback.Given(Request.Create().WithPath("/cb").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var channel = await Fx.CreateApiChannelAsync(Callback.Url + "/cb", "Drop " + Suffix);
        var manager = await Fx.CreateUserAsync("mgr" + Suffix, "manager", channel.Id);
        var first = await Fx.IngestAsync(channel, "ext-1-" + Suffix, "cust-1-" + Suffix, "First question", "Pavel");
        await SignInAsync(manager.Email);
        await Page.Locator($"[data-conversation-id='{first["conversationId"]}']").ClickAsync();
        await Expect(Page.Locator(".message.inbound")).ToContainTextAsync("First question");

        Fx.Proxy.Stop();
        try
        {
            await Expect(Page.GetByTestId("reconnecting")).ToBeVisibleAsync();
            await Screenshot("reconnecting");
            // Written while the browser cannot hear anything: it must still show them afterwards.
            // A connection of the manager's own that does not go through the proxy hears both pushes: they were sent while
            // the browser could not hear them.
            await using var direct = await Fx.ConnectHubAsync(manager.Token);
            var heard = new HubRecorder(direct);
            await Fx.IngestAsync(channel, "ext-2-" + Suffix, "cust-1-" + Suffix, "Are you there?", "Pavel");
            var other = await Fx.IngestAsync(channel, "ext-3-" + Suffix, "cust-2-" + Suffix, "New customer while offline", "Rita");
            await heard.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "Are you there?");
            await heard.WaitForAsync("messageCreated", m => m["text"]!.GetValue<string>() == "New customer while offline");
            Fx.Proxy.Start();

            await Expect(Page.GetByTestId("reconnecting")).ToHaveCountAsync(0, new() { Timeout = 45_000 });
            await Expect(Page.Locator(".message.inbound").Filter(new() { HasText = "Are you there?" })).ToBeVisibleAsync();
            var missed = Page.Locator($"[data-conversation-id='{other["conversationId"]}']");
            await Expect(missed).ToContainTextAsync("New customer while offline");
            await Expect(missed.GetByTestId("unread-badge")).ToHaveTextAsync("1");
        }
        finally
        {
            Fx.Proxy.Stop();
            Fx.Proxy.Start();
        }

        // And live pushes work again on the new connection.
        await Fx.IngestAsync(channel, "ext-4-" + Suffix, "cust-1-" + Suffix, "Back online?", "Pavel");
        await Expect(Page.Locator(".message.inbound").Filter(new() { HasText = "Back online?" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_session_survives_a_reload_an_expired_token_keeps_the_draft_and_sign_out_returns_to_sign_in()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Session " + Suffix);
        var manager = await Fx.CreateUserAsync("mgr" + Suffix, "manager", channel.Id);
        var ingested = await Fx.IngestAsync(channel, "ext-" + Suffix, "cust-" + Suffix, "Hi", "Sven");
        await Fx.SignInAsync(Page, manager.Email); // through the form: the session below is the one it stored
        await Page.Locator($"[data-conversation-id='{ingested["conversationId"]}']").ClickAsync();
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" }).FillAsync("Half-written answer");

        await Page.ReloadAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" })).ToHaveValueAsync("Half-written answer");

        // The server no longer accepts the token (as after its expiry): back to sign-in, then back to the same draft.
        await Page.EvaluateAsync("() => { const s = JSON.parse(localStorage.getItem('cc.session')); s.accessToken = 'expired'; localStorage.setItem('cc.session', JSON.stringify(s)); }");
        await Page.ReloadAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("session has expired");
        await Expect(Page.GetByLabel("Email")).ToHaveValueAsync(manager.Email);
        await Page.GetByLabel("Password").FillAsync("password-1234");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Textbox, new() { Name = "Reply" })).ToHaveValueAsync("Half-written answer");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Page.ReloadAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Keyboard_moves_through_the_list_and_opens_a_conversation_and_Russian_replaces_every_label()
    {
        var channel = await Fx.CreateApiChannelAsync(null, "Keys " + Suffix);
        var manager = await Fx.CreateUserAsync("mgr" + Suffix, "manager", channel.Id);
        await Fx.IngestAsync(channel, "ext-1-" + Suffix, "cust-1-" + Suffix, "older", "Alpha");
        var newest = await Fx.IngestAsync(channel, "ext-2-" + Suffix, "cust-2-" + Suffix, "newer", "Beta");
        await SignInAsync(manager.Email);

        var options = Page.GetByRole(AriaRole.Listbox, new() { Name = "Conversations" }).GetByRole(AriaRole.Option);
        await Expect(options).ToHaveCountAsync(2);
        await options.First.FocusAsync();
        await Page.Keyboard.PressAsync("ArrowDown");
        await Page.Keyboard.PressAsync("ArrowUp");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(new Regex($"/inbox/{newest["conversationId"]}$"));
        await Expect(Page.Locator(".message.inbound")).ToContainTextAsync("newer");

        await Page.GetByRole(AriaRole.Combobox, new() { Name = "Language" }).SelectOptionAsync("ru");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Выйти" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Textbox, new() { Name = "Ответ" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Tab, new() { Name = "Мои" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Прикрепить файлы" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Ответить на сообщение: Beta" })).ToBeVisibleAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
    }

    private async Task SignInAsync(string email)
    {
        await Fx.OpenSignedInAsync(Page, email);
        await Expect(Page.GetByRole(AriaRole.Listbox, new() { Name = "Conversations" })).ToBeVisibleAsync();
    }

    private async Task<JsonObject> GetConversationAsync(string token, string id)
    {
        using var http = Fx.App.Http(token);
        return (await http.GetFromJsonAsync<JsonObject>($"/api/conversations/{id}"))!;
    }
}

/// <summary>The API serves the app at `/` and deep links, never in place of its own routes.</summary>
public sealed class HostingTests(WebAppFixture fx) : IClassFixture<WebAppFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/inbox/12345")]
    [InlineData("/deals")]
    public async Task App_paths_get_the_app(string path)
    {
        using var http = fx.App.Http();
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"root\"></div>", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/no-such-route")]
    [InlineData("/hubs/nothing")]
    [InlineData("/webhooks/nothing/1")]
    [InlineData("/health/nothing")]
    public async Task Server_paths_are_never_answered_with_the_app(string path)
    {
        using var http = fx.App.Http();
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<div id=\"root\">", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Built_assets_are_served_with_long_caching_and_index_html_is_not_cached()
    {
        using var http = fx.App.Http();
        var index = await http.GetStringAsync("/");
        var asset = Regex.Match(index, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        var response = await http.GetAsync(asset);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString());
        Assert.True((await http.GetAsync("/")).Headers.CacheControl?.NoCache);
    }
}
