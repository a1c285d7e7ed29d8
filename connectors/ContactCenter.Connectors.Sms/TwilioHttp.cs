using System.Net;
using ContactCenter.Core.Net;
using Twilio.Clients;
using Twilio.Http;

namespace ContactCenter.Connectors.Sms;

/// <summary>
/// HTTP to Twilio for every sms channel over one pooled handler. The Twilio library has no base-URL option, so when a
/// channel sets `apiBaseUrl` (a stand-in in tests, a proxy) requests to *.twilio.com are re-pointed there.
/// </summary>
public sealed class TwilioHttp(OutboundGuard guard) : IDisposable
{
    // The guard's handler: Twilio's media redirects go to its CDN (and S3), each hop checked like the first.
    private readonly HttpMessageHandler pool = guard.CreateHandler();

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A client for one call: its handler remembers the last HTTP status and Retry-After Twilio answered.</summary>
    public Call Open(SmsSettings settings)
    {
        var handler = new Redirector(settings.ApiBaseUrl) { InnerHandler = pool };
        var http = new System.Net.Http.HttpClient(handler, disposeHandler: false) { Timeout = Timeout };
        return new Call(new TwilioRestClient(settings.AccountSid, settings.AuthToken, httpClient: new SystemNetHttpClient(http)), http, handler);
    }

    public void Dispose() => pool.Dispose();

    public sealed class Call(TwilioRestClient client, System.Net.Http.HttpClient http, Redirector handler) : IDisposable
    {
        public TwilioRestClient Client => client;

        public System.Net.Http.HttpClient Http => http;

        public HttpStatusCode? LastStatus => handler.LastStatus;

        public TimeSpan? RetryAfter => handler.RetryAfter;

        public void Dispose() => http.Dispose();
    }

    public sealed class Redirector(Uri? apiBase) : DelegatingHandler
    {
        public HttpStatusCode? LastStatus { get; private set; }

        public TimeSpan? RetryAfter { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (apiBase is not null && request.RequestUri is { } uri && IsTwilioHost(uri.Host))
            {
                request.RequestUri = new Uri($"{apiBase.Scheme}://{apiBase.Authority}{apiBase.AbsolutePath.TrimEnd('/')}{uri.PathAndQuery}");
            }
            var response = await base.SendAsync(request, cancellationToken);
            LastStatus = response.StatusCode;
            RetryAfter = response.Headers.RetryAfter is { } after
                ? after.Delta ?? (after.Date is { } date ? date - DateTimeOffset.UtcNow : null)
                : null;
            return response;
        }
    }

    /// <summary>Account credentials are only ever sent to Twilio's own hosts.</summary>
    public static bool IsTwilioHost(string host) =>
        host.Equals("twilio.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".twilio.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Where inbound media may be fetched from: Twilio's API and CDN hosts over https, or the channel's configured
    /// `apiBaseUrl` (same scheme, host and port). Never anywhere else, in any environment.
    /// </summary>
    public static bool IsMediaHost(string url, Uri? apiBase)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }
        if (apiBase is not null && uri.Scheme == apiBase.Scheme && uri.IdnHost.Equals(apiBase.IdnHost, StringComparison.OrdinalIgnoreCase) && uri.Port == apiBase.Port)
        {
            return true;
        }
        var host = uri.IdnHost;
        return uri.Scheme == "https" && uri.IsDefaultPort && (IsTwilioHost(host)
            || host.Equals("twiliocdn.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".twiliocdn.com", StringComparison.OrdinalIgnoreCase));
    }
}
