using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// `/hubs/inbox` spoken by hand over a WebSocket, as a browser does after negotiating (the token in the query string):
/// for tests about the socket itself, what one WebSocket message (frame) holds included, which a SignalR client hides.
/// </summary>
public static class RawHubSocket
{
    public const char RecordSeparator = '\u001e';

    public static async Task<string> NegotiateAsync(Uri baseAddress, string token)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var response = await http.PostAsync("/hubs/inbox/negotiate?negotiateVersion=1", null);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["connectionToken"]!.GetValue<string>();
    }

    /// <summary>The socket request. A refused one comes back with its status and state.</summary>
    public static async Task<ClientWebSocket> OpenAsync(Uri baseAddress, string connectionToken, string? accessToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var address = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/hubs/inbox" };
        address.Query = "id=" + Uri.EscapeDataString(connectionToken) + (accessToken is null ? "" : "&access_token=" + Uri.EscapeDataString(accessToken));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(address.Uri, timeout.Token);
        }
        catch (WebSocketException)
        {
            // Refused before the switch: the status and headers are on the socket.
        }
        return socket;
    }

    /// <summary>Negotiated, opened, shaken hands and `Ready` answered: the hub ran OnConnectedAsync for this user.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(Uri baseAddress, string token)
    {
        var socket = await OpenAsync(baseAddress, await NegotiateAsync(baseAddress, token), token);
        await HandshakeAndReadyAsync(socket);
        return socket;
    }

    /// <summary>SignalR's JSON handshake, then `Ready` answered.</summary>
    public static async Task HandshakeAndReadyAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var pending = new Queue<string>();
        await SendAsync(socket, "{\"protocol\":\"json\",\"version\":1}", timeout.Token);
        Assert.Equal("{}", await ReceiveAsync(socket, pending, timeout.Token));
        await SendAsync(socket, "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Ready\",\"arguments\":[]}", timeout.Token);
        while (true)
        {
            var message = JsonNode.Parse(await ReceiveAsync(socket, pending, timeout.Token))!;
            if (message["type"]!.GetValue<int>() == 3)
            {
                Assert.Equal("1", message["invocationId"]!.GetValue<string>());
                Assert.Null(message["error"]);
                return;
            }
        }
    }

    public static Task SendAsync(ClientWebSocket socket, string message, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, ct);

    /// <summary>One record (SignalR ends each with 0x1E; a frame may hold several: the rest wait in <paramref name="pending"/>).</summary>
    public static async Task<string> ReceiveAsync(ClientWebSocket socket, Queue<string> pending, CancellationToken ct)
    {
        if (pending.Count > 0)
        {
            return pending.Dequeue();
        }
        var text = new StringBuilder();
        var buffer = new byte[8192];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, ct);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        while (!result.EndOfMessage || text.Length == 0 || text[^1] != RecordSeparator);
        var records = text.ToString().Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var record in records.Skip(1))
        {
            pending.Enqueue(record);
        }
        return records[0];
    }

    /// <summary>The invocations (type 1) of the next WebSocket message that has any: pings are skipped.</summary>
    public static async Task<List<JsonObject>> ReceiveFrameAsync(ClientWebSocket socket, CancellationToken ct)
    {
        while (true)
        {
            var bytes = new MemoryStream();
            var buffer = new byte[8192];
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, ct);
                Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
                bytes.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            var invocations = Encoding.UTF8.GetString(bytes.ToArray()).Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(r => JsonNode.Parse(r)!.AsObject()).Where(m => m["type"]!.GetValue<int>() == 1).ToList();
            if (invocations.Count > 0)
            {
                return invocations;
            }
        }
    }
}
