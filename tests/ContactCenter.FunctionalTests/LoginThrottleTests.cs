using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>Per-account throttling of sign-in: after 5 failures an email is locked for a growing window, known or not.</summary>
public sealed class LoginThrottleTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        await fixture.ExecuteResetAsync("truncate table audit_log, login_throttle restart identity");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task After_five_failures_the_account_is_locked_even_for_the_right_password_and_the_lock_is_audited()
    {
        var user = await fixture.CreateUserAsync("guessed", "manager");
        for (var i = 0; i < 5; i++)
        {
            await (await LoginAsync(user.Email, $"wrong-guess-{i}")).ProblemAsync(HttpStatusCode.Unauthorized);
        }

        var locked = await LoginAsync(user.Email, "password-1234");

        await locked.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero, "A locked sign-in says when to retry.");
        await using var db = fixture.Db();
        var actions = (await db.QueryAsync<string>("select action from audit_log order by id")).ToList();
        Assert.Equal(5, actions.Count(a => a == "login.failed"));
        Assert.Equal(1, actions.Count(a => a == "login.locked"));
        var after = await db.QueryAsync<string>("select after::text from audit_log where action like 'login.%'");
        Assert.All(after, a => Assert.DoesNotContain("wrong-guess", a, StringComparison.Ordinal));
        Assert.All(after, a => Assert.Contains(user.Email, a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_and_known_emails_get_the_same_answers_failing_and_locked()
    {
        var user = await fixture.CreateUserAsync("known", "manager");
        var known = new List<(HttpStatusCode, string, bool)>();
        var unknown = new List<(HttpStatusCode, string, bool)>();
        for (var i = 0; i < 7; i++)
        {
            known.Add(await AnswerAsync(await LoginAsync(user.Email, "wrong-password-x")));
            unknown.Add(await AnswerAsync(await LoginAsync("nobody-here@test.local", "wrong-password-x")));
        }

        Assert.Equal(known, unknown);
        Assert.Equal(HttpStatusCode.Unauthorized, known[4].Item1);
        Assert.Equal(HttpStatusCode.TooManyRequests, known[5].Item1);
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from audit_log where action = 'login.locked' and after->>'email' = 'nobody-here@test.local'"));
    }

    [Fact]
    public async Task A_successful_sign_in_resets_the_count()
    {
        var user = await fixture.CreateUserAsync("typo", "manager");
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                await (await LoginAsync(user.Email, "wrong-password-x")).ProblemAsync(HttpStatusCode.Unauthorized);
            }
            Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user.Email, "password-1234")).StatusCode);
        }
        await using var db = fixture.Db();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("select count(*) from audit_log where action = 'login.locked'"));
    }

    [Fact]
    public async Task The_lock_holds_across_nodes_and_case_variants_of_the_email()
    {
        var user = await fixture.CreateUserAsync("shouty", "manager");
        for (var i = 0; i < 5; i++)
        {
            await (await LoginAsync(i % 2 == 0 ? user.Email : user.Email.ToUpperInvariant(), "wrong-password-x")).ProblemAsync(HttpStatusCode.Unauthorized);
        }
        var prefix = Guid.NewGuid().ToString("N")[..8];
        await using var nodeB = new AppNode(fixture.Postgres, TestEnvironment.Redis, new Dictionary<string, string?> { ["Realtime:ChannelPrefix"] = "cc-test-" + prefix });

        var response = await nodeB.Http().PostJsonAsync("/api/auth/login", new { email = " " + user.Email.ToUpperInvariant() + " ", password = "password-1234" });

        await response.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["type"]);
    }

    private Task<HttpResponseMessage> LoginAsync(string email, string password) =>
        fixture.App.Http().PostJsonAsync("/api/auth/login", new { email, password });

    private static async Task<(HttpStatusCode, string, bool)> AnswerAsync(HttpResponseMessage response)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return (response.StatusCode, body.ToJsonString(), response.Headers.RetryAfter is not null);
    }
}
