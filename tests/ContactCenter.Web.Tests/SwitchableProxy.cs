using System.Net;
using System.Net.Sockets;

namespace ContactCenter.Web.Tests;

/// <summary>
/// A loopback TCP forwarder whose target can change: the browser keeps one address while the server behind it
/// is stopped and a new one started (a restart), or while the link is cut.
/// </summary>
public sealed class SwitchableProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> open = [];
    private readonly CancellationTokenSource cts = new();

    public SwitchableProxy(int targetPort)
    {
        TargetPort = targetPort;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Where new connections go; 0 refuses them (closed at once), as a server that is down.</summary>
    public int TargetPort { get; set; }

    /// <summary>Cuts every open connection.</summary>
    public void CutAll()
    {
        lock (open)
        {
            foreach (var client in open)
            {
                client.Dispose();
            }
            open.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        while (!cts.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cts.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = PipeAsync(inbound, TargetPort);
        }
    }

    private async Task PipeAsync(TcpClient inbound, int port)
    {
        using var outbound = new TcpClient();
        lock (open)
        {
            open.Add(inbound);
            open.Add(outbound);
        }
        try
        {
            if (port == 0)
            {
                return;
            }
            await outbound.ConnectAsync(IPAddress.Loopback, port, cts.Token);
            var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), cts.Token);
            var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), cts.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception)
        {
            // Cut connections are what this class is for.
        }
        finally
        {
            inbound.Dispose();
            lock (open)
            {
                open.Remove(inbound);
                open.Remove(outbound);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        cts.Cancel();
        listener.Stop();
        CutAll();
        return ValueTask.CompletedTask;
    }
}
