using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ContactCenter.Core;
using ContactCenter.Core.Net;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// Fetches MMS media (`MediaUrlN`) with the account's credentials. Twilio answers a redirect to its CDN; the
/// Authorization header is dropped on redirects by .NET, so the credentials never leave Twilio's hosts.
/// </summary>
public sealed class TwilioMediaClient(TwilioHttp http)
{
    /// <summary>MMS media is at most 5 MB per message at Twilio; anything far above that is not what we asked for.</summary>
    public const long MaxBytes = 20 * 1024 * 1024;

    public abstract record Result
    {
        public sealed record Fetched(byte[] Content, string? ContentType) : Result;
        public sealed record Retry(string Reason, TimeSpan? After = null) : Result;
        public sealed record Failed(string Reason) : Result;
    }

    public async Task<Result> DownloadAsync(ChannelInfo channel, string mediaUrl, CancellationToken ct)
    {
        if (!Uri.TryCreate(mediaUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return new Result.Failed($"The media URL '{mediaUrl}' is not an http(s) URL.");
        }
        var settings = SmsSettings.From(channel);
        if (!TwilioHttp.IsMediaHost(mediaUrl, settings.ApiBaseUrl))
        {
            return new Result.Failed($"The media URL's host {uri.Host} is not Twilio's; it is not fetched.");
        }
        using var call = http.Open(settings);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (TwilioHttp.IsTwilioHost(uri.Host))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));
        }
        try
        {
            using var response = await call.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            if (code == 429 || code >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
            {
                return new Result.Retry($"Twilio answered {code} for the media.", call.RetryAfter);
            }
            if (!response.IsSuccessStatusCode)
            {
                return new Result.Failed($"Twilio refused the media ({code}).");
            }
            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return new Result.Failed("The media is larger than 20 MB.");
            }
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return new Result.Failed("The media is larger than 20 MB.");
                }
                buffer.Write(chunk, 0, read);
            }
            return new Result.Fetched(buffer.ToArray(), response.Content.Headers.ContentType?.MediaType);
        }
        catch (HttpRequestException ex)
        {
            // The guard's refusal is final; anything else (DNS, a dropped connection) may pass.
            return ex.InnerException is OutboundRefusedException
                ? new Result.Failed($"cannot connect to {uri.Host}: the address is not allowed")
                : new Result.Retry($"cannot connect to {uri.Host}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Result.Retry("Fetching the media timed out.");
        }
    }
}
