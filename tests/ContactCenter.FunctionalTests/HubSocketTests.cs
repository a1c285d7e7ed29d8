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

    [Fact]
    public async Task An_inbound_messages_events_reach_each_tab_of_each_member_in_one_frame_and_no_one_else()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var marker = await fixture.CreateApiChannelAsync(name: "Marker");
        var member = await fixture.CreateUserAsync("frame-member", "manager", channel.Id);
        var outsider = await fixture.CreateUserAsync("frame-outsider", "manager", marker.Id);
        using var phone = await RawHubSocket.ConnectAsync(fixture.App.BaseAddress, member.Token);
        using var laptop = await RawHubSocket.ConnectAsync(fixture.App.BaseAddress, member.Token);
        using var other = await RawHubSocket.ConnectAsync(fixture.App.BaseAddress, outsider.Token);

        var stored = await fixture.IngestAsync(channel, "frame-1", "cust", "Один кадр на вкладку");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var tab in new[] { phone, laptop })
        {
            var frame = await RawHubSocket.ReceiveFrameAsync(tab, timeout.Token);
            Assert.Equal(["messageCreated", "conversationUpdated", "countersChanged"], frame.Select(m => m["target"]!.GetValue<string>()));
            Assert.Equal(stored["messageId"]!.GetValue<long>(), frame[0]["arguments"]![0]!["id"]!.GetValue<long>());
            Assert.Equal("Один кадр на вкладку", frame[0]["arguments"]![0]!["text"]!.GetValue<string>());
            Assert.Equal(1, frame[1]["arguments"]![0]!["unreadCount"]!.GetValue<long>());
            Assert.Equal(1, frame[2]["arguments"]![0]!["changes"]!["unreadMessages"]!.GetValue<long>());
        }
        // The outsider's first frame is the marker channel's message, sent after: nothing of the other channel came before it.
        var markerStored = await fixture.IngestAsync(marker, "frame-marker", "cust-2", "marker");
        var first = await RawHubSocket.ReceiveFrameAsync(other, timeout.Token);
        Assert.Equal("messageCreated", first[0]["target"]!.GetValue<string>());
        Assert.Equal(markerStored["messageId"]!.GetValue<long>(), first[0]["arguments"]![0]!["id"]!.GetValue<long>());
    }

    private Task<string> NegotiateAsync(string token) => RawHubSocket.NegotiateAsync(fixture.App.BaseAddress, token);

    private Task<ClientWebSocket> OpenAsync(string connectionToken, string? accessToken) =>
        RawHubSocket.OpenAsync(fixture.App.BaseAddress, connectionToken, accessToken);

    private static Task HandshakeAndReadyAsync(ClientWebSocket socket) => RawHubSocket.HandshakeAndReadyAsync(socket);

    private static string Forge(params Claim[] claims)
    {
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-key-that-is-not-the-apps-0123456789")), SecurityAlgorithms.HmacSha256);
        var jwt = new JwtSecurityToken("contactcenter", "contactcenter", [.. claims, new Claim("name", "Forger")],
            DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10), credentials);
        return new JwtSecurityTokenHandler().WriteToken(jwt);
    }
}
