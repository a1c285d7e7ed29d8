using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The web app sends its language as `Accept-Language`; a problem's title, detail and field errors come back in it when
/// it is Russian (the Russian screen showed the server's English), and in English otherwise.
/// </summary>
public sealed class ProblemLanguageTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_missing_record_is_answered_in_the_language_asked_for()
    {
        var english = await ProblemAsync(HttpMethod.Get, "/api/deals/987654", null, "en-GB,en;q=0.9", HttpStatusCode.NotFound);
        var russian = await ProblemAsync(HttpMethod.Get, "/api/deals/987654", null, "ru", HttpStatusCode.NotFound);

        Assert.Equal("There is no such deal.", english["detail"]!.GetValue<string>());
        Assert.Equal("Not Found", english["title"]!.GetValue<string>());
        AssertRussian(russian["detail"]!.GetValue<string>());
        AssertRussian(russian["title"]!.GetValue<string>());
        Assert.Equal(english["status"]!.GetValue<int>(), russian["status"]!.GetValue<int>());
        Assert.Equal(english["type"]!.GetValue<string>(), russian["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_field_error_keeps_its_field_and_the_value_the_template_inserts()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "Язык" })).OkJsonAsync(HttpStatusCode.Created);
        var body = $$"""{"ids": [{{deal.Id()}}], "stageId": "five"}""";
        var before = (await (await admin.GetAsync($"/api/deals/{deal.Id()}")).OkJsonAsync()).ToJsonString();

        var english = await ProblemAsync(HttpMethod.Post, "/api/deals/bulk", body, null, HttpStatusCode.BadRequest);
        var russian = await ProblemAsync(HttpMethod.Post, "/api/deals/bulk", body, "ru-RU,ru;q=0.9,en;q=0.8", HttpStatusCode.BadRequest);

        Assert.Equal("The request body has a value of the wrong type at $.stageId.", english["detail"]!.GetValue<string>());
        var detail = russian["detail"]!.GetValue<string>();
        AssertRussian(detail);
        Assert.Contains("$.stageId", detail, StringComparison.Ordinal);
        var errors = russian["errors"]!.AsObject();
        Assert.Equal(["stageId"], errors.Select(e => e.Key));
        AssertRussian(errors["stageId"]![0]!.GetValue<string>());
        AssertRussian(russian["title"]!.GetValue<string>());
        // Nothing changed either way.
        Assert.Equal(before, (await (await admin.GetAsync($"/api/deals/{deal.Id()}")).OkJsonAsync()).ToJsonString());
    }

    /// <remarks>
    /// Optional (nullable) parameters of each kind the routes have: the build-time endpoints answer these with a bare 400
    /// of their own, and BindFailures names the parameter as the thrown failures are named.
    /// </remarks>
    [Theory]
    [InlineData("/api/pipelines/1/board?assigneeId=x", "x", "assigneeId")]
    [InlineData("/api/pipelines/1/board?limit=ten", "ten", "limit")]
    [InlineData("/api/loss-reasons?archived=maybe", "maybe", "archived")]
    [InlineData("/api/reports/funnel?from=yesterday", "yesterday", "from")]
    public async Task A_query_value_of_the_wrong_form_names_its_parameter_without_dotnet_types(string url, string value, string parameter)
    {
        var english = await ProblemAsync(HttpMethod.Get, url, null, null, HttpStatusCode.BadRequest);
        var russian = await ProblemAsync(HttpMethod.Get, url, null, "ru", HttpStatusCode.BadRequest);

        Assert.Equal($"The value \"{value}\" is not valid for {parameter}.", english["detail"]?.GetValue<string>());
        Assert.Equal($"Значение \"{value}\" не подходит для {parameter}.", russian["detail"]?.GetValue<string>());
    }

    /// <summary>An empty optional value is taken as absent (docs/API-EXTENSIONS.md, session 33): the answer without it.</summary>
    [Theory]
    [InlineData("/api/pipelines/1/board?limit=", "/api/pipelines/1/board")]
    [InlineData("/api/loss-reasons?archived=", "/api/loss-reasons")]
    public async Task An_empty_optional_query_value_is_taken_as_absent(string url, string without)
    {
        using var http = fixture.App.Http(fixture.AdminToken);

        var empty = await http.GetAsync(url);
        var absent = await http.GetAsync(without);

        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal(await absent.Content.ReadAsStringAsync(), await empty.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Refusals found in English under `ru` by an outside review (session 42): the app's own query refusals (a cursor came with
    /// "The request could not be read: " before it, which no table entry matched) and field errors raised through Require.
    /// </summary>
    [Theory]
    [InlineData("/api/conversations?cursor=bm9wZQ", "The cursor is not valid.")]
    [InlineData("/api/deals/1/timeline?cursor=zz", "The cursor is not valid.")]
    [InlineData("/api/conversations?view=bogus", null)]
    [InlineData("/api/search?q=x&limit=-1", null)]
    [InlineData("/api/admin/audit?actorId=abc", null)]
    [InlineData("/api/deals?maxAmount=xyz", null)]
    [InlineData("/api/deals?sort=loudest", null)]
    [InlineData("/api/leads?sort=loudest", null)]
    public async Task The_apps_own_query_refusals_are_answered_in_russian_too(string url, string? english)
    {
        var inEnglish = await ProblemAsync(HttpMethod.Get, url, null, null, HttpStatusCode.BadRequest);
        var russian = await ProblemAsync(HttpMethod.Get, url, null, "ru", HttpStatusCode.BadRequest);

        if (english is not null)
        {
            Assert.Equal(english, inEnglish["detail"]!.GetValue<string>());
        }
        AssertRussian(russian["detail"]!.GetValue<string>());
        foreach (var (_, messages) in russian["errors"]?.AsObject() ?? [])
        {
            AssertRussian(messages![0]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("de-DE")]
    [InlineData("en;q=1, ru;q=0.5")]
    [InlineData("*")]
    public async Task Any_other_preference_is_answered_in_english(string? acceptLanguage)
    {
        var problem = await ProblemAsync(HttpMethod.Get, "/api/deals/987654", null, acceptLanguage, HttpStatusCode.NotFound);

        Assert.Equal("There is no such deal.", problem["detail"]!.GetValue<string>());
    }

    private async Task<JsonObject> ProblemAsync(HttpMethod method, string url, string? json, string? acceptLanguage, HttpStatusCode expected)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static void AssertRussian(string text) =>
        Assert.True(text.Any(c => c is >= 'а' and <= 'я' or >= 'А' and <= 'Я'), $"Not Russian: {text}");
}
