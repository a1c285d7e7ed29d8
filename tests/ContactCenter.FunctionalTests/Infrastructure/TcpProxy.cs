using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder put between the app and a server (PostgreSQL, Redis), so a test can take the server away
/// (connections refused and cut) and give it back, or hold one request, without touching the shared server.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly List<TcpClient> open = [];
    private readonly Lock holding = new();
    private byte[]? marker;
    private TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TcpListener? listener;
    private CancellationTokenSource cts = new();

    public TcpProxy(string host, int port)
    {
        target = new IPEndPoint(IPAddress.Parse(host), port);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Start();
    }

    public int Port { get; }

    public void Start()
    {
        cts = new CancellationTokenSource();
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _ = AcceptAsync(listener, cts.Token);
    }

    /// <summary>Refuses new connections and cuts the open ones, like a database that went down.</summary>
    public void Stop()
    {
        cts.Cancel();
        listener?.Stop();
        lock (open)
        {
            foreach (var client in open)
            {
                client.Dispose();
            }
            open.Clear();
        }
    }

    /// <summary>
    /// From now until <see cref="Release"/>, a connection on which a client sends <paramref name="request"/> (ASCII, any
    /// case) is held from the read that carries it: what the client sends there and after is delayed, never dropped or
    /// reordered, so a request/response protocol stays aligned and the client sees a server that does not answer in time.
    /// Other connections, and what the server sends, pass as before.
    /// </summary>
    public void Hold(string request)
    {
        lock (holding)
        {
            marker = Encoding.ASCII.GetBytes(request);
        }
    }

    /// <summary>Sends on what was held, in order, and holds nothing more.</summary>
    public void Release()
    {
        lock (holding)
        {
            marker = null;
            released.TrySetResult();
            released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private async Task AcceptAsync(TcpListener server, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await server.AcceptTcpClientAsync(ct);
            }
            catch (Exception)
            {
                return;
            }
            _ = PipeAsync(inbound, ct);
        }
    }

    private async Task PipeAsync(TcpClient inbound, CancellationToken ct)
    {
        var outbound = new TcpClient();
        lock (open)
        {
            open.Add(inbound);
            open.Add(outbound);
        }
        try
        {
            await outbound.ConnectAsync(target, ct);
            var a = ForwardAsync(inbound.GetStream(), outbound.GetStream(), ct);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), ct);
            await Task.WhenAny(a, b);
        }
        catch (Exception)
        {
            // A cut connection is the point of this class.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    /// <summary>The client's side, which <see cref="Hold"/> may delay.</summary>
    private async Task ForwardAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        var buffer = new byte[81920];
        var tail = Array.Empty<byte>();
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            if (HeldBy(ref tail, buffer.AsSpan(0, read)) is { } gate)
            {
                await gate.WaitAsync(ct);
            }
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    /// <summary>The release to wait for when this read carries the held request; <paramref name="tail"/> keeps the last
    /// bytes read, for a request split between two reads.</summary>
    private Task? HeldBy(ref byte[] tail, ReadOnlySpan<byte> read)
    {
        lock (holding)
        {
            if (marker is null)
            {
                return null;
            }
            byte[] seen = [.. tail, .. read];
            tail = seen[Math.Max(0, seen.Length - marker.Length + 1)..];
            for (var i = 0; i + marker.Length <= seen.Length; i++)
            {
                if (Ascii.EqualsIgnoreCase(seen.AsSpan(i, marker.Length), marker))
                {
                    return released.Task;
                }
            }
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
