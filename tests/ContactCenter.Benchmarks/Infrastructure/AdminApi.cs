using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>Set-up through the app's own REST API, as the bootstrap admin.</summary>
public sealed class AdminApi(HttpClient http, string baseUrl, string token)
{
    public string Token => token;

    public static async Task<AdminApi> LoginAsync(HttpClient http, string baseUrl)
    {
        using var response = await http.PostAsJsonAsync(baseUrl + "/api/auth/login", new { email = BenchOptions.AdminEmail, password = BenchOptions.AdminPassword });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new AdminApi(http, baseUrl, body.GetProperty("accessToken").GetString()!);
    }

    public async Task<long> CreateChannelAsync(string kind, string name, JsonObject settings)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/api/channels")
        {
            Content = JsonContent.Create(new { kind, name, settings }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating channel {name} answered {(int)response.StatusCode}: {text}");
        }
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    public async Task<(int Status, string Body)> GetAsync(string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer ?? token);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
