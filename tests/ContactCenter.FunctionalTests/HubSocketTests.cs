using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The hub's WebSocket request itself (`GET /hubs/inbox?id=...&amp;access_token=...`, the one that stays open), as a
/// browser sends it after negotiating: it is authenticated on its own path (HubSockets, not the authentication
/// middleware), so each refusal is tried here with a connection id that a good negotiate handed out, and the same id
/// then still connects with a good token (a refusal changes nothing).
/// </summary>
public sealed class HubSocketTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private const char RecordSeparator = '\u001e';

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_socket_with_a_good_token_connects_and_answers_calls()
    {
        var user = await fixture.CreateUserAsync("socket-good", "manager");
        var id = await NegotiateAsync(user.Token);

        using var socket = await OpenAsync(id, user.Token);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        await HandshakeAndReadyAsync(socket);
    }

    [Fact]
    public async Task A_socket_without_a_token_or_with_a_forged_one_is_refused_and_the_id_still_works()
    {
        var user = await fixture.CreateUserAsync("socket-forged", "manager");
        var id = await NegotiateAsync(user.Token);
        var forged = Forge(new Claim("sub", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim("role", "admin"), new Claim("stamp", "1"));

        foreach (var token in new[] { null, "", "not-a-jwt", forged, user.Token[..^4] + "AAAA" })
        {
            using var refused = await OpenAsync(id, token);
            Assert.True(refused.HttpStatusCode == HttpStatusCode.Unauthorized, $"token {token?[..Math.Min(token.Length, 12)] ?? "(none)"}: {refused.HttpStatusCode}");
            Assert.StartsWith("Bearer", refused.HttpResponseHeaders?["WWW-Authenticate"].FirstOrDefault() ?? "");
            // Refused on the sockets' own path: the error pages, which give every other 401 a problem body, skip it.
            Assert.False(refused.HttpResponseHeaders?.ContainsKey("Content-Type") ?? false, "the refusal went through the error pages");
            Assert.NotEqual(WebSocketState.Open, refused.State);
        }

        using var socket = await OpenAsync(id, user.Token);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        await HandshakeAndReadyAsync(socket);
    }

    [Fact]
    public async Task A_socket_of_a_user_deactivated_after_negotiating_is_refused()
    {
        var user = await fixture.CreateUserAsync("socket-leaver", "manager");
        var id = await NegotiateAsync(user.Token);
        using var admin = fixture.App.Http(fixture.AdminToken);
        (await admin.PatchJsonAsync($"/api/users/{user.Id}", new { isActive = false })).EnsureSuccessStatusCode();

        using var refused = await OpenAsync(id, user.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.HttpStatusCode);
        Assert.NotEqual(WebSocketState.Open, refused.State);
    }

    private async Task<string> NegotiateAsync(string token)
    {
        using var http = fixture.App.Http(token);
        using var response = await http.PostAsync("/hubs/inbox/negotiate?negotiateVersion=1", null);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["connectionToken"]!.GetValue<string>();
    }

    /// <summary>The browser's request: the token in the query string. A refused one comes back with its status and state.</summary>
    private async Task<ClientWebSocket> OpenAsync(string connectionToken, string? accessToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var address = new UriBuilder(fixture.App.BaseAddress) { Scheme = "ws", Path = "/hubs/inbox" };
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

    /// <summary>SignalR's JSON handshake, then `Ready` answered: the hub ran OnConnectedAsync for this user.</summary>
    private static async Task HandshakeAndReadyAsync(ClientWebSocket socket)
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

    private static Task SendAsync(ClientWebSocket socket, string message, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message + RecordSeparator), WebSocketMessageType.Text, true, ct);

    /// <summary>One record (SignalR ends each with 0x1E; a frame may hold several: the rest wait in <paramref name="pending"/>).</summary>
    private static async Task<string> ReceiveAsync(ClientWebSocket socket, Queue<string> pending, CancellationToken ct)
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

    private static string Forge(params Claim[] claims)
    {
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-key-that-is-not-the-apps-0123456789")), SecurityAlgorithms.HmacSha256);
        var jwt = new JwtSecurityToken("contactcenter", "contactcenter", [.. claims, new Claim("name", "Forger")],
            DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10), credentials);
        return new JwtSecurityTokenHandler().WriteToken(jwt);
    }
}
