using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// A client that connects from one loopback source address (127.0.X.1): nginx's sticky `ip_hash` keys on the first three
/// octets of the client address, so clients on different 127.0.X networks stand for customers and managers on
/// different networks and can land on different nodes. Everything still goes to 127.0.0.1 only.
/// Its hub connections record the node each WebSocket landed on (the X-Node header of the upgrade).
/// </summary>
public sealed class LoopbackClient(IPAddress source, Uri proxy) : IDisposable
{
    private readonly List<IDisposable> owned = [];

    public IPAddress Source => source;

    /// <summary>X-Node of the last WebSocket upgrade a hub connection of this client made (after a reconnect: the new one).</summary>
    public string? LastHubNode { get; private set; }

    public HttpClient Http(string? token = null)
    {
        var client = new HttpClient(Handler(), disposeHandler: true) { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        lock (owned)
        {
            owned.Add(client);
        }
        return client;
    }

    /// <summary>A hub connection over WebSockets (negotiate first, as the web app does), reconnecting quickly when dropped.</summary>
    public HubConnection Hub(string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(proxy, "/hubs/inbox"), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            o.HttpMessageHandlerFactory = _ => Handler();
            o.WebSocketFactory = async (context, ct) =>
            {
                var socket = new ClientWebSocket();
                socket.Options.CollectHttpResponseDetails = true;
                socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
                var invoker = new HttpMessageInvoker(Handler(), disposeHandler: true);
                lock (owned)
                {
                    owned.Add(invoker);
                }
                await socket.ConnectAsync(context.Uri, invoker, ct);
                LastHubNode = socket.HttpResponseHeaders?.TryGetValue("X-Node", out var node) == true ? node.FirstOrDefault() : null;
                return socket;
            };
        })
        .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)])
        .Build();

    private SocketsHttpHandler Handler() => new()
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public void Dispose()
    {
        lock (owned)
        {
            owned.ForEach(o => o.Dispose());
            owned.Clear();
        }
    }
}
