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
/// at reject.test 554. With a certificate it offers STARTTLS on <see cref="Port"/> and implicit TLS (SMTPS) on
/// <see cref="TlsPort"/>; AUTH then still works before STARTTLS, as the tests' plain channels expect.
/// </summary>
public sealed class SmtpReceiver : IAsyncDisposable
{
    public const string Password = DovecotServer.Password;

    private readonly CancellationTokenSource stop = new();
    private readonly Task running;

    /// <summary>What arrived: the parsed message, its envelope recipients and the bytes as sent (headers checked as on the wire).</summary>
    public ConcurrentQueue<(MimeMessage Message, string[] Recipients, string Raw)> Received { get; } = new();

    /// <summary>Message-IDs of the messages that came over an encrypted session, with its TLS version.</summary>
    public ConcurrentDictionary<string, System.Security.Authentication.SslProtocols> Encrypted { get; } = new();

    public int Port { get; }

    /// <summary>SMTPS (TLS from the first byte); 0 without a certificate.</summary>
    public int TlsPort { get; }

    public SmtpReceiver(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        Port = FreePort();
        var builder = new SmtpServerOptionsBuilder().ServerName("smtp.test");
        if (certificate is null)
        {
            builder.Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).AllowUnsecureAuthentication(true).AuthenticationRequired(true));
        }
        else
        {
            TlsPort = FreePort();
            builder
                .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).Certificate(certificate).AllowUnsecureAuthentication(true).AuthenticationRequired(true))
                .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, TlsPort)).Certificate(certificate).IsSecure(true).AuthenticationRequired(true));
        }
        var options = builder.Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new DelegatingUserAuthenticator((user, password) => user.Length > 0 && password == Password));
        running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            if (context.Pipe.IsSecure && message.MessageId is { } id)
            {
                owner.Encrypted[id] = context.Pipe.SslProtocol;
            }
            owner.Received.Enqueue((message, recipients, System.Text.Encoding.UTF8.GetString(bytes)));
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
