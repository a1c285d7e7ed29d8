using ContactCenter.Core.Net;
using System.Text.Json.Nodes;
using ContactCenter.Core;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.Email;

/// <summary>The `email` kind: validates the settings; on save, checks the IMAP and SMTP logins and shows a clear error on the channel.</summary>
public sealed class EmailChannelKind(IChannelDirectory channels, EmailReaderService readers, OutboundGuard guard, IOptions<EmailOptions> options, ILogger<EmailChannelKind> logger) : IChannelKindHandler
{
    public string Kind => ChannelKinds.Email;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["password"];

    public Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = EmailSettings.Validate(settings);
        if (errors.Count == 0)
        {
            settings["address"] = settings["address"]!.GetValue<string>().Trim();
            foreach (var name in new[] { "imapSecurity", "smtpSecurity" })
            {
                settings[name] ??= "auto";
            }
        }
        return Task.FromResult<IDictionary<string, string[]>>(errors);
    }

    public async Task OnSavedAsync(ChannelInfo channel, CancellationToken cancellationToken)
    {
        var settings = EmailSettings.From(channel);
        var results = await Task.WhenAll(CheckImapAsync(settings, cancellationToken), CheckSmtpAsync(settings, cancellationToken));
        var problems = results.Where(r => r is not null).ToList();
        await channels.RecordSetUpAsync(channel, problems.Count == 0 ? null : string.Join(" ", problems),
            p => logger.LogWarning("Email channel {ChannelId} set-up check failed: {Problems}", channel.Id, p), cancellationToken);
        readers.Wake();
    }

    private int ClientTimeout => (int)Math.Min(options.Value.Timeout.TotalMilliseconds, 20_000);

    private Task<string?> CheckImapAsync(EmailSettings s, CancellationToken ct) => ProbeAsync("IMAP", s.ImapHost, s.ImapPort, s.Username, async () =>
    {
        using var client = new ImapClient { Timeout = ClientTimeout };
        EmailTls.Configure(client, s);
        await client.ConnectAsync(await guard.ConnectSocketAsync(s.ImapHost, s.ImapPort, ct), s.ImapHost, s.ImapPort, EmailSettings.Socket(s.ImapSecurity), ct);
        await client.AuthenticateAsync(s.Username, s.Password, ct);
        await client.Inbox.OpenAsync(MailKit.FolderAccess.ReadOnly, ct);
        await client.DisconnectAsync(true, ct);
    }, ct);

    private Task<string?> CheckSmtpAsync(EmailSettings s, CancellationToken ct) => ProbeAsync("SMTP", s.SmtpHost, s.SmtpPort, s.Username, async () =>
    {
        using var client = new SmtpClient { Timeout = ClientTimeout };
        EmailTls.Configure(client, s);
        await client.ConnectAsync(await guard.ConnectSocketAsync(s.SmtpHost, s.SmtpPort, ct), s.SmtpHost, s.SmtpPort, EmailSettings.Socket(s.SmtpSecurity), ct);
        if (client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
        {
            await client.AuthenticateAsync(s.Username, s.Password, ct);
        }
        await client.DisconnectAsync(true, ct);
    }, ct);

    /// <summary>Runs one server check (IMAP or SMTP); a failure becomes a status an admin can act on, null when it passed.</summary>
    private async Task<string?> ProbeAsync(string protocol, string host, int port, string username, Func<Task> check, CancellationToken ct)
    {
        try
        {
            await check();
            return null;
        }
        catch (MailKit.Security.AuthenticationException ex)
        {
            return $"{protocol} login failed for {username} at {host}:{port}: {ex.Message}";
        }
        catch (Exception ex) when (EmailTls.Describe(protocol, host, port, ex) is { } tls)
        {
            return tls;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Not the socket's words: "refused" versus "timed out" would map which internal ports are open.
            logger.LogInformation(ex, "{Protocol} check of {Host} failed", protocol, host);
            return $"{protocol}: cannot connect to {host}";
        }
    }

    public IDictionary<string, object?> PublicInfo(ChannelInfo channel) =>
        new Dictionary<string, object?> { ["address"] = channel.Setting("address") };
}
