using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Core.Net;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>
/// Calls to Meta's Graph API for a whatsapp channel (over the outbound guard's handler), with the channel's access token
/// as Bearer. Every answer, error or network failure comes back as an <see cref="Answer"/>: callers decide retry or fail.
/// </summary>
public sealed class WhatsAppGraph(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "whatsapp";

    /// <summary>A Graph error body: `{"error":{"message","type","code","error_subcode","error_data":{"details"}}}`.</summary>
    public sealed record GraphError(int Code, string Message, string? Details);

    /// <param name="Status">The HTTP status, 0 when no answer came (then <see cref="Network"/> says why).</param>
    public sealed record Answer(int Status, JsonNode? Body, GraphError? Error, TimeSpan? RetryAfter, string? Network = null, bool Refused = false)
    {
        public bool Ok => Status is >= 200 and < 300 && Error is null;
    }

    public Task<Answer> GetAsync(WhatsAppSettings settings, string path, CancellationToken ct) =>
        SendAsync(settings, new HttpRequestMessage(HttpMethod.Get, settings.Graph(path)), ct);

    public Task<Answer> PostJsonAsync(WhatsAppSettings settings, string path, JsonObject body, CancellationToken ct) =>
        SendAsync(settings, new HttpRequestMessage(HttpMethod.Post, settings.Graph(path))
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        }, ct);

    public Task<Answer> PostFormAsync(WhatsAppSettings settings, string path, MultipartFormDataContent form, CancellationToken ct) =>
        SendAsync(settings, new HttpRequestMessage(HttpMethod.Post, settings.Graph(path)) { Content = form }, ct);

    private async Task<Answer> SendAsync(WhatsAppSettings settings, HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
            var host = request.RequestUri!.Host;
            try
            {
                using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                JsonNode? body = null;
                try
                {
                    body = text.Length == 0 ? null : JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    // A proxy's HTML error page: the status says enough.
                }
                return new Answer((int)response.StatusCode, body, ErrorOf(body), RetryAfterOf(response));
            }
            catch (HttpRequestException ex)
            {
                // Which port answered how stays out of messages a manager sees: only the host is named.
                return new Answer(0, null, null, null, $"cannot connect to {host}", ex.InnerException is OutboundRefusedException);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                return new Answer(0, null, null, null, $"{host} did not answer in time");
            }
        }
    }

    /// <summary>Downloads a file from a media URL Graph handed out, with the token (only to Meta's hosts or the channel's own API host).</summary>
    public async Task<(int Status, string? ContentType, string? Problem, TimeSpan? RetryAfter)> DownloadAsync(
        WhatsAppSettings settings, Uri url, Stream destination, long maxBytes, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                return ((int)response.StatusCode, null, $"the media host answered {(int)response.StatusCode}", RetryAfterOf(response));
            }
            if (response.Content.Headers.ContentLength > maxBytes)
            {
                return (413, null, $"the file is larger than {maxBytes / 1024 / 1024} MB", null);
            }
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var chunk = new byte[81920];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    return (413, null, $"the file is larger than {maxBytes / 1024 / 1024} MB", null);
                }
                await destination.WriteAsync(chunk.AsMemory(0, read), ct);
            }
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, null, null);
        }
        catch (HttpRequestException ex)
        {
            return (0, null, ex.InnerException is OutboundRefusedException ? $"cannot connect to {url.Host}: the address is not allowed" : $"cannot connect to {url.Host}", null);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (0, null, $"{url.Host} did not answer in time", null);
        }
    }

    /// <summary>Where a media URL from Graph may be fetched with the token: Meta's CDN hosts over https, or the channel's API host.</summary>
    public static bool IsMediaHost(Uri url, WhatsAppSettings settings)
    {
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return false;
        }
        var api = settings.ApiBaseUrl;
        if (url.Scheme == api.Scheme && url.IdnHost.Equals(api.IdnHost, StringComparison.OrdinalIgnoreCase) && url.Port == api.Port)
        {
            return true;
        }
        var host = url.IdnHost;
        return url.Scheme == "https" && url.IsDefaultPort && (IsUnder(host, "fbsbx.com") || IsUnder(host, "facebook.com") || IsUnder(host, "whatsapp.net"));
    }

    private static bool IsUnder(string host, string domain) =>
        host.Equals(domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);

    private static GraphError? ErrorOf(JsonNode? body)
    {
        if (body is not JsonObject o || o["error"] is not JsonObject error)
        {
            return null;
        }
        var code = error["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 0;
        var message = error["message"] is JsonValue m && m.TryGetValue<string>(out var s) ? s : "";
        var details = error["error_data"] is JsonObject data && data["details"] is JsonValue d && d.TryGetValue<string>(out var t) ? t : null;
        return new GraphError(code, message, details);
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter is { } after
        ? after.Delta ?? (after.Date is { } date ? date - DateTimeOffset.UtcNow : null)
        : null;
}
