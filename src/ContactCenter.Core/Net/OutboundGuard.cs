using System.Net;
using System.Net.Sockets;

namespace ContactCenter.Core.Net;

/// <summary>
/// The one HTTP handler every connector's outbound client is built on. Its ConnectCallback resolves the host itself,
/// refuses when any resolved address is internal (loopback, private, shared NAT, link-local incl. cloud metadata,
/// multicast, unspecified, ULA, IPv4-in-IPv6 forms of those) unless <see cref="OutboundFetchSettings"/> allows it, and
/// then connects to exactly the address it checked — there is no second lookup a DNS answer could change in between.
/// Proxies are off (a proxy would connect on our behalf, past the check). Responses are capped in size and time.
/// </summary>
public sealed class OutboundGuard(OutboundFetchSettings settings, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve = resolve ?? Dns.GetHostAddressesAsync;

    public OutboundFetchSettings Settings => settings;

    /// <summary>A new handler chain (each caller owns and disposes its own; pooled clients from IHttpClientFactory share theirs).</summary>
    public HttpMessageHandler CreateHandler(bool allowRedirects = true) => new ResponseCap(settings)
    {
        InnerHandler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = allowRedirects,
            MaxAutomaticRedirections = 5,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = settings.ConnectTimeout,
            ConnectCallback = ConnectAsync,
        },
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        try
        {
            return new NetworkStream(await ConnectSocketAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct), ownsSocket: true);
        }
        catch (IOException ex) when (ex is not OutboundRefusedException)
        {
            throw new HttpRequestException(ex.Message, ex.InnerException);
        }
    }

    /// <summary>
    /// A connected socket to host:port after the same check as the HTTP handler's (for clients that are not HTTP: IMAP and
    /// SMTP take it through MailKit's ConnectAsync(Socket, ...)). Refused hosts throw <see cref="OutboundRefusedException"/>;
    /// unreachable ones an IOException that names only the host.
    /// </summary>
    public async Task<Socket> ConnectSocketAsync(string host, int port, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await ResolveAsync(host, ct);
        if (addresses.Length == 0 || (!settings.PermitsHost(host) && !addresses.All(settings.Permits)))
        {
            throw new OutboundRefusedException(host);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.ConnectTimeout);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                socket.Dispose();
                last = ex;
            }
        }
        // Which address or port failed, and how, stays in our logs; the message says only the host.
        throw new IOException($"cannot connect to {host}", last);
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        try
        {
            return await resolve(host, ct);
        }
        catch (SocketException ex)
        {
            throw new IOException($"cannot connect to {host}", ex);
        }
    }

    /// <summary>Cuts a response off at the size cap and a request at the time cap.</summary>
    private sealed class ResponseCap(OutboundFetchSettings settings) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.MaxDuration);
            var response = await base.SendAsync(request, timeout.Token);
            if (response.Content.Headers.ContentLength > settings.MaxResponseBytes)
            {
                response.Dispose();
                throw new HttpRequestException($"The response of {request.RequestUri?.Host} is larger than {settings.MaxResponseBytes} bytes.");
            }
            var inner = response.Content;
            var capped = new StreamContent(new CappedStream(await inner.ReadAsStreamAsync(cancellationToken), settings.MaxResponseBytes));
            foreach (var header in inner.Headers)
            {
                capped.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            response.Content = capped;
            return response;
        }
    }
}
