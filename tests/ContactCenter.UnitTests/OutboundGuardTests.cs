using System.Net;
using System.Net.Sockets;
using ContactCenter.Core.Net;

namespace ContactCenter.UnitTests;

/// <summary>
/// The guard's handler against a listener on loopback (the only address tests may reach): without an allow-list it
/// must not even connect, whether the URL names the literal, `localhost` or a name a stub resolver maps to 127.0.0.1.
/// </summary>
public sealed class OutboundGuardTests : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);

    public OutboundGuardTests() => listener.Start();

    private int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public void Dispose() => listener.Stop();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("internal.example")]
    public async Task Loopback_is_refused_without_an_allow_list_and_nothing_connects(string host)
    {
        var guard = new OutboundGuard(new OutboundFetchSettings(), (name, _) =>
            Task.FromResult(name == "internal.example" ? [IPAddress.Loopback] : Dns.GetHostAddresses(name)));
        using var http = new HttpClient(guard.CreateHandler());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://{host}:{Port}/"));

        Assert.Contains($"cannot connect to {host}", error.ToString(), StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("internal.example")]
    public async Task Mail_sockets_get_the_same_check_and_nothing_connects(string host)
    {
        var guard = new OutboundGuard(new OutboundFetchSettings(), (name, _) =>
            Task.FromResult(name == "internal.example" ? [IPAddress.Loopback] : Dns.GetHostAddresses(name)));

        await Assert.ThrowsAsync<OutboundRefusedException>(() => guard.ConnectSocketAsync(host, Port, CancellationToken.None));

        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task An_allow_listed_mail_host_gets_a_connected_socket()
    {
        var guard = new OutboundGuard(new OutboundFetchSettings { Allow = ["127.0.0.0/8"] }, (_, _) => Task.FromResult(new[] { IPAddress.Loopback }));

        using var socket = await guard.ConnectSocketAsync("imap.internal.example", Port, CancellationToken.None);

        Assert.True(socket.Connected);
        using var accepted = await listener.AcceptSocketAsync();
    }

    [Fact]
    public async Task An_allow_listed_loopback_is_connected_to_the_checked_address()
    {
        var guard = new OutboundGuard(new OutboundFetchSettings { Allow = ["127.0.0.0/8"] },
            (_, _) => Task.FromResult(new[] { IPAddress.Loopback }));
        using var http = new HttpClient(guard.CreateHandler());
        var serve = ServeOnceAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");

        var body = await http.GetStringAsync($"http://internal.example:{Port}/");

        Assert.Equal("ok", body);
        await serve;
    }

    [Fact]
    public async Task A_response_above_the_size_cap_is_refused()
    {
        var guard = new OutboundGuard(new OutboundFetchSettings { Allow = ["127.0.0.1"], MaxResponseBytes = 10 });
        using var http = new HttpClient(guard.CreateHandler());
        var serve = ServeOnceAsync("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + new string('x', 100));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync($"http://127.0.0.1:{Port}/"));
        await serve;
    }

    private async Task ServeOnceAsync(string response)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        _ = await stream.ReadAsync(buffer);
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(response));
        client.Client.Shutdown(SocketShutdown.Send);
    }
}
