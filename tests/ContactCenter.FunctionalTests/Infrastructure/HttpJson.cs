using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>Small HTTP/JSON assertions and polling shared by the test projects.</summary>
public static class HttpJson
{
    public static async Task<JsonObject> OkJsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonArray> OkArrayAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsArray();
    }

    /// <summary>Asserts a problem-details answer with this status and returns its detail.</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!["detail"]?.GetValue<string>() ?? "";
    }

    /// <summary>Asserts a 200 whose body is JSON (an object or an array).</summary>
    public static async Task<JsonNode> OkJsonOrArrayAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string url, object body) => http.PostAsJsonAsync(url, body);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient http, string url, object body) => http.PatchAsJsonAsync(url, body);

    public static long Id(this JsonNode node, string key = "id") => node[key]!.GetValue<long>();

    /// <summary>Polls until the condition holds (background work), failing after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for: {what}");
            }
            await Task.Delay(50);
        }
    }
}
