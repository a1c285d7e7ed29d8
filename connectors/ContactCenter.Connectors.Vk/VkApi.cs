using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ContactCenter.Connectors.Vk;

/// <summary>
/// Calls VK API methods: `POST {apiBaseUrl}/{method}` with form fields, `v=5.199` and the community token (in the body,
/// never in a URL that a log could keep). Answers are `{"response": ...}` or `{"error": {...}}` with HTTP 200.
/// </summary>
public sealed class VkApi(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "vk";

    public const string Version = "5.199";

    /// <returns>The `response` element.</returns>
    /// <exception cref="VkApiException">VK refused the call (an error object or an HTTP error status).</exception>
    /// <exception cref="HttpRequestException">VK could not be reached.</exception>
    public async Task<JsonElement> CallAsync(VkSettings settings, string method, IReadOnlyDictionary<string, string> args, CancellationToken ct)
    {
        var fields = new Dictionary<string, string>(args) { ["access_token"] = settings.AccessToken, ["v"] = Version };
        using var content = new FormUrlEncodedContent(fields);
        using var response = await httpClients.CreateClient(HttpClientName).PostAsync(new Uri(settings.ApiBaseUrl, method), content, ct);
        return Response(await ReadJsonAsync(response, ct));
    }

    /// <summary>Posts one file to an upload URL VK handed out (photos.getMessagesUploadServer and the like); returns its JSON.</summary>
    public async Task<JsonElement> UploadAsync(string uploadUrl, string field, string fileName, string contentType, Stream file, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        using var part = new StreamContent(file);
        part.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, field, fileName);
        using var response = await httpClients.CreateClient(HttpClientName).PostAsync(uploadUrl, form, ct);
        var json = await ReadJsonAsync(response, ct);
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var error))
        {
            // Upload servers say `{"error": "..."}` (a string), unlike the API's error object.
            throw error.ValueKind == JsonValueKind.Object ? ErrorOf(error) : new VkApiException(0, error.ToString());
        }
        return json;
    }

    /// <summary>Downloads a file VK links to (photo sizes, documents, voice messages) into <paramref name="destination"/>.</summary>
    public async Task<string?> DownloadAsync(string url, Stream destination, CancellationToken ct)
    {
        using var response = await httpClients.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new VkApiException(0, $"VK answered {(int)response.StatusCode} for the file.", (int)response.StatusCode);
        }
        await response.Content.CopyToAsync(destination, ct);
        return response.Content.Headers.ContentType?.MediaType;
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new VkApiException(0, $"VK answered HTTP {(int)response.StatusCode}.", (int)response.StatusCode);
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new VkApiException(0, "VK answered with something that is not JSON.", (int)response.StatusCode);
        }
    }

    private static JsonElement Response(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new VkApiException(0, "VK answered with an unexpected shape.");
        }
        if (json.TryGetProperty("error", out var error))
        {
            throw ErrorOf(error);
        }
        return json.TryGetProperty("response", out var result) ? result : throw new VkApiException(0, "VK answered without a response.");
    }

    private static VkApiException ErrorOf(JsonElement error)
    {
        var code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("error_code", out var c) && c.TryGetInt32(out var n) ? n : 0;
        var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("error_msg", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()! : error.ToString();
        return new VkApiException(code, message);
    }

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
