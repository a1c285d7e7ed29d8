using ContactCenter.Core.Net;
using System.Data.Common;
using System.Net.Sockets;
using ContactCenter.Core;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace ContactCenter.Connectors.Email;

/// <summary>
/// Reads one channel's INBOX while its node holds the mailbox lease (<see cref="IMailboxLease"/>): syncs every UID
/// above the stored one, storing each message before moving the stored UID past it, then waits in IDLE (or polls)
/// and reconnects with backoff on any failure. A UIDVALIDITY change restarts the sync; Message-IDs keep it duplicate-free.
/// </summary>
public sealed class MailboxReader(
    ChannelInfo channel,
    IMailboxLease lease,
    IEmailStore store,
    IInboundPipeline pipeline,
    IUnhandledInboundSink unhandled,
    IMessageStatusSink statuses,
    IChannelDirectory channels,
    EmailOptions options,
    OutboundGuard guard,
    ILogger logger)
{
    /// <summary>Tries to store one email before it is parked in unhandled_inbound (with backoff between tries).</summary>
    public const int StoreAttempts = 3;

    /// <summary>Status errors about one email the reader could not store start with this (connection errors do not).</summary>
    public const string StoreFailurePrefix = "IMAP reader: ";

    private readonly EmailSettings settings = EmailSettings.From(channel);
    private volatile bool changed;

    /// <summary>The UID whose store failure the channel's status shows (kept across reconnects).</summary>
    private long? failingUid;
    private CancellationTokenSource? idleDone;

    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                using var client = new ImapClient { Timeout = (int)options.Timeout.TotalMilliseconds };
                EmailTls.Configure(client, settings);
                await client.ConnectAsync(await guard.ConnectSocketAsync(settings.ImapHost, settings.ImapPort, ct), settings.ImapHost, settings.ImapPort,
                    EmailSettings.Socket(settings.ImapSecurity), ct);
                await client.AuthenticateAsync(settings.Username, settings.Password, ct);
                var inbox = client.Inbox;
                await inbox.OpenAsync(FolderAccess.ReadOnly, ct);
                inbox.CountChanged += OnCountChanged;
                await store.ClearImapErrorAsync(channel.Id, storeFailure: false, ct);
                failures = 0;
                while (!ct.IsCancellationRequested)
                {
                    changed = false;
                    await SyncAsync(inbox, ct);
                    if (changed)
                    {
                        continue;
                    }
                    if (options.UseIdle && client.Capabilities.HasFlag(ImapCapabilities.Idle))
                    {
                        await IdleAsync(client, ct);
                    }
                    else
                    {
                        await Task.Delay(options.PollInterval, ct);
                        await inbox.CheckAsync(ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (LeaseLostException)
            {
                logger.LogWarning("Email channel {ChannelId}: mailbox lease lost, stopping this reader", channel.Id);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failures++;
                var tls = EmailTls.Describe("IMAP", settings.ImapHost, settings.ImapPort, ex);
                var error = ex switch
                {
                    AuthenticationException => $"IMAP login failed: {ex.Message}",
                    _ when tls is not null => tls,
                    // The socket's own words stay in the log (they would tell which internal ports are open).
                    _ => $"IMAP: cannot connect to {settings.ImapHost}",
                };
                logger.LogWarning(ex, "Email channel {ChannelId}: {Error} (attempt {Failures})", channel.Id, error, failures);
                // A login or certificate problem needs the admin now; a network blip may pass by itself.
                if (failures >= 2 || ex is AuthenticationException || tls is not null)
                {
                    await TryAsync(() => channels.SetStatusErrorAsync(channel.Id, error, CancellationToken.None));
                }
                try
                {
                    await Task.Delay(Backoff(failures), ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnCountChanged(object? sender, EventArgs e)
    {
        // The folder cannot be used inside its own event: flag it and end the IDLE; the loop fetches.
        changed = true;
        idleDone?.Cancel();
    }

    private async Task IdleAsync(ImapClient client, CancellationToken ct)
    {
        using var done = new CancellationTokenSource(options.IdleRefresh);
        idleDone = done;
        try
        {
            if (changed)
            {
                return;
            }
            await client.IdleAsync(done.Token, ct);
        }
        finally
        {
            idleDone = null;
        }
    }

    private async Task SyncAsync(IMailFolder inbox, CancellationToken ct)
    {
        var state = await lease.GetStateAsync(ct);
        var validity = (long)inbox.UidValidity;
        IList<UniqueId> uids;
        long last;
        if (state is null || state.UidValidity != validity)
        {
            if (state is not null)
            {
                logger.LogWarning("Email channel {ChannelId}: UIDVALIDITY changed from {Old} to {New}; resyncing (Message-IDs prevent duplicates)",
                    channel.Id, state.UidValidity, validity);
            }
            uids = await inbox.SearchAsync(SearchQuery.DeliveredAfter(DateTime.UtcNow.Date.AddDays(-options.InitialImportDays)), ct);
            last = 0;
            await lease.SaveStateAsync(validity, 0, ct);
        }
        else
        {
            last = state.LastUid;
            // `n:*` always matches the highest message even when n is above it: filter below.
            uids = await inbox.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId((uint)Math.Min(last + 1, uint.MaxValue)), UniqueId.MaxValue)), ct);
        }
        var pending = uids.Where(u => u.Id > last).OrderBy(u => u.Id).ToList();
        foreach (var chunk in pending.Chunk(50))
        {
            var summaries = await inbox.FetchAsync(chunk, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, ct);
            var sizes = summaries.ToDictionary(s => s.UniqueId.Id, s => (long?)s.Size ?? 0);
            foreach (var uid in chunk)
            {
                await ProcessAsync(inbox, uid, validity, sizes.GetValueOrDefault(uid.Id), ct);
                // Moved forward only after the message is stored (or deliberately skipped).
                await lease.SaveStateAsync(validity, uid.Id, ct);
            }
        }
    }

    private async Task ProcessAsync(IMailFolder inbox, UniqueId uid, long validity, long size, CancellationToken ct)
    {
        var context = new EmailParser.Context(channel.Id, settings.Address, validity, uid.Id, options);
        EmailVerdict verdict;
        byte[]? raw = null;
        if (size > options.MaxMessageBytes)
        {
            verdict = await OversizedAsync(inbox, uid, size, context, ct);
        }
        else
        {
            await using (var stream = await inbox.GetStreamAsync(uid, string.Empty, ct))
            using (var buffer = new MemoryStream())
            {
                await stream.CopyToAsync(buffer, ct);
                raw = buffer.ToArray();
            }
            verdict = EmailParser.Parse(raw, context);
        }
        switch (verdict)
        {
            case EmailVerdict.Ignore ignore:
                logger.LogInformation("Email channel {ChannelId}: UID {Uid} not stored: {Reason}", channel.Id, uid.Id, ignore.Reason);
                break;
            case EmailVerdict.Bounce bounce:
                var known = await statuses.UpdateStatusAsync(channel.Id, bounce.OriginalMessageId, "failed", bounce.Reason, ct);
                logger.LogInformation("Email channel {ChannelId}: bounce for {MessageId} ({Known})", channel.Id, bounce.OriginalMessageId, known ? "ours" : "unknown");
                break;
            case EmailVerdict.Store store:
                await StoreAsync(store, uid, validity, raw, ct);
                break;
        }
    }

    private async Task StoreAsync(EmailVerdict.Store verdict, UniqueId uid, long validity, byte[]? raw, CancellationToken ct)
    {
        // The stored UID moves past this message only once it is stored or parked: a refusal is retried with backoff and
        // shown on the channel's status; when every attempt fails the raw MIME goes to unhandled_inbound. If even that
        // fails, the exception leaves the sync and the reader reconnects and starts again at this UID.
        Exception? error = null;
        for (var attempt = 1; attempt <= StoreAttempts; attempt++)
        {
            error = await TryStoreAsync(verdict, uid, ct);
            if (error is null)
            {
                if (failingUid == uid.Id)
                {
                    failingUid = null;
                    await TryAsync(() => store.ClearImapErrorAsync(channel.Id, storeFailure: true, CancellationToken.None));
                }
                return;
            }
            if (failingUid != uid.Id)
            {
                // Shown once per message: after a reconnect the retries must not hide a later, more precise report.
                failingUid = uid.Id;
                await TryAsync(() => channels.SetStatusErrorAsync(channel.Id,
                    $"{StoreFailurePrefix}the email UID {uid.Id} ({verdict.Message.ExternalId}) could not be stored: {error.Message}; retrying",
                    CancellationToken.None));
            }
            if (attempt < StoreAttempts)
            {
                await Task.Delay(Backoff(attempt), ct);
            }
        }
        await ParkAsync(verdict.Message, uid, validity, raw, error!, ct);
    }

    /// <summary>Null when stored (as read, or as a plain copy); the refusal otherwise. Outages are thrown, not returned.</summary>
    private async Task<Exception?> TryStoreAsync(EmailVerdict.Store verdict, UniqueId uid, CancellationToken ct)
    {
        var message = verdict.Message;
        try
        {
            var thread = await store.FindThreadAsync(channel.Id, message.Sender.Address, verdict.ReferencedIds, verdict.TokenConversationId, ct);
            await pipeline.IngestAsync(message with { ThreadKey = thread ?? message.ExternalId }, ct);
            return null;
        }
        catch (Exception ex) when (IsPoison(ex, ct))
        {
            // A message the database refuses must not block the ones after it: store a bare version with a warning.
            logger.LogError(ex, "Email channel {ChannelId}: UID {Uid} could not be stored as read; storing a plain copy", channel.Id, uid.Id);
            var metadata = new Dictionary<string, string>(message.Metadata ?? new Dictionary<string, string>())
            {
                ["warning"] = $"This email could not be stored as received ({ex.Message}); attachments and formatting were dropped.",
            };
            try
            {
                await pipeline.IngestAsync(message with
                {
                    ThreadKey = message.ExternalId,
                    Html = null,
                    Attachments = [],
                    Text = (message.Text ?? "")[..Math.Min(message.Text?.Length ?? 0, 20_000)],
                    RawPayload = "",
                    Metadata = metadata,
                }, ct);
                return null;
            }
            catch (Exception again) when (IsPoison(again, ct))
            {
                logger.LogError(again, "Email channel {ChannelId}: UID {Uid}: the plain copy could not be stored either", channel.Id, uid.Id);
                return again;
            }
        }
    }

    /// <summary>Keeps an email that cannot be stored in unhandled_inbound (kind `email`) with its raw MIME, once per message.</summary>
    private async Task ParkAsync(InboundMessage message, UniqueId uid, long validity, byte[]? raw, Exception error, CancellationToken ct)
    {
        var payload = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["uid"] = uid.Id,
            ["uidValidity"] = validity,
            ["messageId"] = message.Metadata?.GetValueOrDefault("messageId"),
            ["from"] = message.Sender.Address,
            ["subject"] = message.Metadata?.GetValueOrDefault("subject"),
            ["error"] = error.Message,
            // Base64: raw MIME is bytes in any charset and may hold NUL, which jsonb text cannot.
            ["mimeBase64"] = raw is null ? null : Convert.ToBase64String(raw),
            ["headersOnly"] = raw is null ? message.RawPayload : null,
        });
        var externalId = "email:" + message.ExternalId;
        try
        {
            await unhandled.RecordUnhandledAsync(new UnhandledInbound(channel.Id, externalId, "email", payload), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            var problem = $"the email UID {uid.Id} ({message.ExternalId}) could not be stored ({error.Message}) nor kept in unhandled_inbound ({ex.Message}); it will be tried again";
            await TryAsync(() => channels.SetStatusErrorAsync(channel.Id, StoreFailurePrefix + problem, CancellationToken.None));
            throw new InvalidOperationException(problem, ex);
        }
        failingUid = null;
        logger.LogError("Email channel {ChannelId}: UID {Uid} could not be stored; kept in unhandled_inbound as {ExternalId}", channel.Id, uid.Id, externalId);
        // Stays on the channel until its set-up is checked again: people must look at the parked email.
        await TryAsync(() => channels.SetStatusErrorAsync(channel.Id,
            $"{StoreFailurePrefix}the email UID {uid.Id} ({message.ExternalId}) could not be stored ({error.Message}); it was kept with its raw MIME in unhandled_inbound.",
            CancellationToken.None));
    }

    /// <summary>
    /// Data errors are the message's fault; storage outages are not (then the reader stops and retries the same UID).
    /// An error the database server reported carries an SQLSTATE; a client-side one (connection lost, pool exhausted) has none.
    /// </summary>
    private static bool IsPoison(Exception ex, CancellationToken ct) =>
        !ct.IsCancellationRequested && ex is not OperationCanceledException and not OutOfMemoryException and not LeaseLostException
        && ex is not DbException { IsTransient: true } && ex is not SocketException && ex is not TimeoutException
        && ex is not DbException { SqlState: null };

    private async Task<EmailVerdict> OversizedAsync(IMailFolder inbox, UniqueId uid, long size, EmailParser.Context context, CancellationToken ct)
    {
        var summary = (await inbox.FetchAsync([uid], MessageSummaryItems.UniqueId | MessageSummaryItems.BodyStructure, ct)).FirstOrDefault();
        var headers = await inbox.GetHeadersAsync(uid, ct);
        var message = new MimeMessage();
        message.Headers.Clear();
        foreach (var header in headers)
        {
            message.Headers.Add(header);
        }
        var alternative = new MultipartAlternative();
        foreach (var part in new[] { summary?.TextBody, summary?.HtmlBody })
        {
            if (part is not null && part.Octets <= options.MaxMessageBytes)
            {
                alternative.Add(await inbox.GetBodyPartAsync(uid, part, ct));
            }
        }
        message.Body = alternative;
        var left = summary?.Attachments.Select(a => $"{FileNames.Clean(a.FileName, "attachment")} ({a.Octets / 1024} KB)").ToList() ?? [];
        var note = $"This email is {size / (1024 * 1024.0):0.#} MB, over the {options.MaxMessageBytes / (1024 * 1024.0):0.#} MB limit: "
            + (left.Count > 0 ? $"its attachments were not stored ({string.Join(", ", left)})." : "only its text was stored.");
        try
        {
            return EmailParser.FromMessage(message, raw: null, context with { OversizeNote = note });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return EmailParser.Parse(System.Text.Encoding.UTF8.GetBytes(string.Join("", headers.Select(h => h.ToString() + "\n")) + "\n" + note), context);
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var ms = Math.Min(options.ReconnectMaxDelay.TotalMilliseconds, options.ReconnectBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(20, failures - 1)));
        return TimeSpan.FromMilliseconds(ms / 2 + Random.Shared.NextDouble() * ms / 2);
    }

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogDebug(ex, "Could not record the channel's status");
        }
    }
}
