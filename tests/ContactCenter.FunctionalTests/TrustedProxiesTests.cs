using System.Net;
using System.Net.Http.Json;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Behind nginx every request comes from the proxy: the per-IP limits count the client named in X-Forwarded-For only when
/// the proxy is trusted (`Network:TrustedProxies`); otherwise the header is ignored, so a client cannot escape a limit by
/// sending it. (The header values are documentation addresses; all traffic goes to 127.0.0.1.)
/// </summary>
public sealed class TrustedProxiesTests
{
    public sealed class TrustingFixture : AppFixture
    {
        protected override IDictionary<string, string?> ExtraSettings()
        {
            var settings = base.ExtraSettings();
            settings["Network:TrustedProxies:0"] = "127.0.0.1";
            settings["RateLimits:LoginPerMinute"] = "3";
            return settings;
        }
    }

    public sealed class UntrustingFixture : AppFixture
    {
        protected override IDictionary<string, string?> ExtraSettings()
        {
            var settings = base.ExtraSettings();
            settings["RateLimits:LoginPerMinute"] = "3";
            return settings;
        }
    }

    private static async Task<List<HttpStatusCode>> SignInsAsync(AppFixture fixture, string forwardedFor, int count)
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var http = fixture.App.Http();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
            {
                // A different unknown email each time: the per-account lock (after five failures) stays out of the way.
                Content = JsonContent.Create(new { email = $"nobody-{Guid.NewGuid():N}@test.local", password = "wrong-password" }),
            };
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            answers.Add((await http.SendAsync(request)).StatusCode);
        }
        return answers;
    }

    /// <summary>
    /// Signs in (and fails) as this client until the limit answers 429. The fixed window may have started with the fixture's
    /// own sign-ins and may roll over meanwhile, so the count is not fixed; the limit must be reached within a few windows' worth.
    /// </summary>
    private static async Task ExhaustAsync(AppFixture fixture, string forwardedFor)
    {
        var answers = new List<HttpStatusCode>();
        while (answers.Count < 12 && !answers.Contains(HttpStatusCode.TooManyRequests))
        {
            answers.AddRange(await SignInsAsync(fixture, forwardedFor, 1));
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
        Assert.All(answers.Where(a => a != HttpStatusCode.TooManyRequests), a => Assert.Equal(HttpStatusCode.Unauthorized, a));
    }

    public sealed class Trusted(TrustingFixture fixture) : IClassFixture<TrustingFixture>
    {
        [Fact]
        public async Task Each_client_behind_a_trusted_proxy_has_its_own_sign_in_limit()
        {
            await ExhaustAsync(fixture, "198.51.100.7");

            Assert.Equal([HttpStatusCode.Unauthorized], await SignInsAsync(fixture, "198.51.100.8", 1));
        }
    }

    public sealed class Untrusted(UntrustingFixture fixture) : IClassFixture<UntrustingFixture>
    {
        [Fact]
        public async Task Without_a_trusted_proxy_the_header_is_ignored_and_the_limit_holds()
        {
            await ExhaustAsync(fixture, "198.51.100.7");

            Assert.Equal([HttpStatusCode.TooManyRequests], await SignInsAsync(fixture, "198.51.100.8", 1));
        }
    }
}
