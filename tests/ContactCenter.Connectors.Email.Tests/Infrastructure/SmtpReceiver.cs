using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ContactCenter.Connectors.Email.Tests.Infrastructure;

/// <summary>
/// A real SMTP server in-process (the SmtpServer package) that records what it receives. AUTH is required: any user
/// name with <see cref="Password"/> (the mailbox password, as with a real provider); recipients at defer.test answer 451,
/// at reject.test 554.
/// </summary>
public sealed class SmtpReceiver : IAsyncDisposable
{
    public const string Password = DovecotServer.Password;

    private readonly CancellationTokenSource stop = new();
    private readonly Task running;

    /// <summary>What arrived: the parsed message, its envelope recipients and the bytes as sent (headers checked as on the wire).</summary>
    public ConcurrentQueue<(MimeMessage Message, string[] Recipients, string Raw)> Received { get; } = new();

    public int Port { get; }

    public SmtpReceiver()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).AllowUnsecureAuthentication(true).AuthenticationRequired(true))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new DelegatingUserAuthenticator((user, password) => user.Length > 0 && password == Password));
        running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);
    }

    public async Task<MimeMessage> WaitForAsync(Func<MimeMessage, bool> match, TimeSpan? timeout = null) =>
        (await WaitForRawAsync(match, timeout)).Message;

    /// <summary>The first received message that matches, with its bytes as they came over SMTP.</summary>
    public async Task<(MimeMessage Message, string Raw)> WaitForRawAsync(Func<MimeMessage, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (message, _, raw) in Received)
            {
                if (match(message))
                {
                    return (message, raw);
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("The SMTP server received no matching message.");
    }

    private sealed class Store(SmtpReceiver owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var recipients = transaction.To.Select(t => $"{t.User}@{t.Host}").ToArray();
            if (recipients.Any(r => r.EndsWith("@defer.test", StringComparison.OrdinalIgnoreCase)))
            {
                return new SmtpResponse((SmtpReplyCode)451, "4.3.0 Greylisted, try again later");
            }
            if (recipients.Any(r => r.EndsWith("@reject.test", StringComparison.OrdinalIgnoreCase)))
            {
                return new SmtpResponse((SmtpReplyCode)554, "5.7.1 Message rejected as spam");
            }
            var bytes = buffer.ToArray();
            using var stream = new MemoryStream(bytes);
            owner.Received.Enqueue((await MimeMessage.LoadAsync(stream, cancellationToken), recipients, System.Text.Encoding.UTF8.GetString(bytes)));
            return SmtpResponse.Ok;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }
        stop.Dispose();
    }
}
