using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Hours;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.FunctionalTests;

/// <summary>CSAT: asked once when a conversation is resolved, answered in the widget or by a signed link, reported per manager and channel.</summary>
public sealed partial class CsatTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private const string Site = "https://shop.example";

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject Csat() => new() { ["enabled"] = true, ["question"] = "How did we do?" };

    private HttpClient Visitor(string? token = null)
    {
        var http = fixture.App.Http(token);
        http.DefaultRequestHeaders.Add("Origin", Site);
        return http;
    }

    private async Task<string> SessionAsync(string widgetKey)
    {
        using var http = Visitor();
        var response = await http.PostAsJsonAsync($"/api/widget/{widgetKey}/session", new { });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["visitorToken"]!.GetValue<string>();
    }

    private async Task ResolveAsync(string token, long conversationId)
    {
        using var http = fixture.App.Http(token);
        (await http.PostAsJsonAsync($"/api/conversations/{conversationId}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_visitor_rates_in_the_widget_once_and_the_rating_lands_on_the_conversation_and_in_the_stats()
    {
        var channel = await fixture.CreateChannelAsync("webchat", "Site chat", new JsonObject { ["allowedOrigins"] = new JsonArray(Site), ["csat"] = Csat() });
        var channelId = channel["id"]!.GetValue<long>();
        var key = channel["public"]!["widgetKey"]!.GetValue<string>();
        var manager = await fixture.CreateUserAsync("rated", "manager", channelId);
        var supervisor = await fixture.CreateUserAsync("boss", "supervisor");
        var visitorToken = await SessionAsync(key);
        using var visitor = Visitor(visitorToken);
        var sent = await (await visitor.PostAsJsonAsync("/api/widget/messages", new { text = "Where is my order?" })).Content.ReadFromJsonAsync<JsonObject>();
        var conversation = sent!["conversationId"]!.GetValue<long>();
        using (var http = fixture.App.Http(manager.Token))
        {
            (await http.PostAsJsonAsync($"/api/conversations/{conversation}/assign", new { userId = manager.Id })).EnsureSuccessStatusCode();
        }

        await ResolveAsync(manager.Token, conversation);
        await ResolveAsync(manager.Token, conversation); // resolving again asks nothing more

        var page = await visitor.GetFromJsonAsync<JsonObject>("/api/widget/messages");
        var surveys = page!["items"]!.AsArray().Where(m => m!["csat"] is not null).ToList();
        var survey = Assert.Single(surveys)!;
        Assert.Equal("How did we do?", survey["text"]!.GetValue<string>());
        var surveyId = survey["csat"]!["surveyId"]!.GetValue<long>();

        // Another visitor cannot answer this visitor's survey (404, no hint); bad input is a 400; neither changes anything.
        using (var stranger = Visitor(await SessionAsync(key)))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync("/api/widget/csat", new { surveyId, rating = 1 })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await visitor.PostAsJsonAsync("/api/widget/csat", new { surveyId, rating = 6 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await visitor.PostAsJsonAsync("/api/widget/csat", new { rating = 5 })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await visitor.PostAsJsonAsync("/api/widget/csat", new { surveyId, rating = 4 })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await visitor.PostAsJsonAsync("/api/widget/csat", new { surveyId, rating = 1 })).StatusCode);

        var rated = (await visitor.GetFromJsonAsync<JsonObject>("/api/widget/messages"))!["items"]!.AsArray().Single(m => m!["csat"] is not null)!;
        Assert.Equal(4, rated["csat"]!["rating"]!.GetValue<int>());
        await using (var db = fixture.Db())
        {
            Assert.Equal(4, await db.ExecuteScalarAsync<int>("select rating from csat_surveys where conversation_id = @conversation", new { conversation }));
            Assert.Equal("Customer satisfaction: 4/5", await db.ExecuteScalarAsync<string>(
                "select text from messages where conversation_id = @conversation and direction = 'note' and metadata->>'notice' = 'csat'", new { conversation }));
            // An empty comment is stored too: the web app words a note that has it in its user's language.
            Assert.Equal("", await db.ExecuteScalarAsync<string>(
                "select metadata->>'csatComment' from messages where conversation_id = @conversation and direction = 'note' and metadata->>'notice' = 'csat'", new { conversation }));
            Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where type = 'csat' and (data->>'rating')::int = 4"));
        }

        using var boss = fixture.App.Http(supervisor.Token);
        var stats = await boss.GetFromJsonAsync<JsonObject>("/api/stats/csat");
        Assert.Equal(1, stats!["overall"]!["count"]!.GetValue<long>());
        Assert.Equal(4.0, stats["overall"]!["average"]!.GetValue<double>());
        Assert.Equal([0L, 0L, 0L, 1L, 0L], stats["overall"]!["distribution"]!.AsArray().Select(n => n!.GetValue<long>()));
        Assert.Equal(1.0, stats["overall"]!["responseRate"]!.GetValue<double>());
        var row = Assert.Single(stats["byManager"]!.AsArray())!;
        Assert.Equal(manager.Id, row["userId"]!.GetValue<long>());
        Assert.Equal(channelId, Assert.Single(stats["byChannel"]!.AsArray())!["channelId"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_stats_are_for_supervisors_and_admins_only_and_a_bad_period_is_a_400()
    {
        var manager = await fixture.CreateUserAsync("curious", "manager");
        using var asManager = fixture.App.Http(manager.Token);
        using var admin = fixture.App.Http(fixture.AdminToken);

        Assert.Equal(HttpStatusCode.Forbidden, (await asManager.GetAsync("/api/stats/csat")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/stats/csat")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/stats/csat?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/stats/csat?from=yesterday")).StatusCode);
    }

    [Fact]
    public async Task An_email_or_sms_customer_rates_by_a_signed_link_and_a_tampered_or_expired_link_is_refused()
    {
        var secret = "csat-secret-" + Guid.NewGuid().ToString("N");
        var created = await fixture.CreateChannelAsync("api", "Integration", new JsonObject { ["secret"] = secret, ["csat"] = Csat() });
        var channel = new AppFixture.ApiChannel(created["id"]!.GetValue<long>(), secret);
        var conversation = (await fixture.IngestAsync(channel, "link-1", "mailer", "Help please"))["conversationId"]!.GetValue<long>();
        await ResolveAsync(fixture.AdminToken, conversation);
        string text;
        await using (var db = fixture.Db())
        {
            text = await db.ExecuteScalarAsync<string>(
                "select text from messages where conversation_id = @conversation and metadata->>'automated' = 'csat'", new { conversation }) ?? "";
        }
        var token = LinkToken().Match(text).Groups[1].Value;
        Assert.StartsWith($"{conversation}.", token);
        using var http = fixture.App.Http();

        var form = await http.GetAsync($"/csat/{token}");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("name=\"rating\"", await form.Content.ReadAsStringAsync());

        var parts = token.Split('.');
        var tampered = $"{conversation + 1}.{parts[1]}.{parts[2]}.{parts[3]}";
        var expired = new CsatTokens(fixture.App.Services.GetRequiredService<IOptions<AuthOptions>>(), new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-31)))
            .Issue(conversation, long.Parse(parts[1]));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/csat/{tampered}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync($"/csat/{tampered}", new { rating = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync($"/csat/{expired}", new { rating = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync($"/csat/{token}", new { rating = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync($"/csat/{token}", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        await using (var db = fixture.Db())
        {
            Assert.Null(await db.ExecuteScalarAsync<int?>("select rating from csat_surveys where conversation_id = @conversation", new { conversation }));
        }

        var done = await http.PostAsync($"/csat/{token}", new FormUrlEncodedContent(new Dictionary<string, string> { ["rating"] = "5", ["comment"] = "Quick and kind" }));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsJsonAsync($"/csat/{token}", new { rating = 1 })).StatusCode);
        await using (var db = fixture.Db())
        {
            var (rating, comment) = await db.QuerySingleAsync<(int, string)>("select rating, comment from csat_surveys where conversation_id = @conversation", new { conversation });
            Assert.Equal((5, "Quick and kind"), (rating, comment));
        }
    }

    [GeneratedRegex(@"/csat/([0-9]+\.[0-9]+\.[0-9]+\.[A-Za-z0-9_-]+)")]
    private static partial Regex LinkToken();
}
