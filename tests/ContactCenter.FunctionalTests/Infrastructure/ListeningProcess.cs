using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>The start-up wait of the real servers the tests run (nginx, dovecot): until the loopback port accepts.</summary>
public static class ListeningProcess
{
    /// <summary>
    /// Probes 127.0.0.1:<paramref name="port"/> until it accepts a connection (true) or <paramref name="timeout"/> passes
    /// (false). A process that exits first will never listen: that throws at once, with what <paramref name="exited"/> says.
    /// </summary>
    public static async Task<bool> WaitAsync(Process process, int port, TimeSpan timeout, Func<Task<string>> exited)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(await exited());
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }
}
