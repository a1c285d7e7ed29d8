using ContactCenter.Core.Net;
using ContactCenter.Core;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using MimeKit.Utils;

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
    EmailOptions options,
    OutboundGuard guard,
    ILogger logger)
{
    /// <summary>Tries to store one email before it is parked in unhandled_inbound (with backoff between tries).</summary>
    public const int StoreAttempts = 3;

    /// <summary>Status errors about one email the reader could not store start with this (connection errors do not).</summary>
    public const string StoreFailurePrefix = "IMAP reader: ";

    private readonly EmailSettings settings = EmailSettings.From(channel);
    private readonly EmailIntake intake = new(channel, store, pipeline, unhandled, options, logger);
    private volatile bool changed;

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
                    // The set-up check's words, so whichever of the two wrote last the admin reads the same thing.
                    AuthenticationException => $"IMAP login failed for {settings.Username} at {settings.ImapHost}:{settings.ImapPort}: {ex.Message}",
                    _ when tls is not null => tls,
                    // The socket's own words stay in the log (they would tell which internal ports are open).
                    _ => $"IMAP: cannot connect to {settings.ImapHost}",
                };
                logger.LogWarning(ex, "Email channel {ChannelId}: {Error} (attempt {Failures})", channel.Id, error, failures);
                // A login or certificate problem needs the admin now; a network blip may pass by itself.
                if (failures >= 2 || ex is AuthenticationException || tls is not null)
                {
                    await StatusWrites.TryAsync(logger, () => store.SetImapErrorAsync(channel.Id, error, CancellationToken.None));
                }
                try
                {
                    await Task.Delay(options.ReconnectBackoff(failures), ct);
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
                await intake.StoreAsync(store, uid, validity, raw, ct);
                break;
        }
    }

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
        long? cut = null;
        foreach (var part in new[] { summary?.TextBody, summary?.HtmlBody })
        {
            if (part is null)
            {
                continue;
            }
            if (part.Octets <= options.MaxMessageBytes)
            {
                alternative.Add(await inbox.GetBodyPartAsync(uid, part, ct));
            }
            else
            {
                // A text over the limit on its own (a log pasted in, a mailing list digest) keeps its beginning instead
                // of being dropped: the email was stored with the note alone.
                alternative.Add(await TextHeadAsync(inbox, uid, part, ct));
                cut = Math.Max(cut ?? 0, part.Octets);
            }
        }
        message.Body = alternative;
        var left = summary?.Attachments.Select(a => $"{FileNames.Clean(a.FileName, "attachment")} ({a.Octets / 1024} KB)").ToList() ?? [];
        var note = $"This email is {size / (1024 * 1024.0):0.#} MB, over the {options.MaxMessageBytes / (1024 * 1024.0):0.#} MB limit: "
            + (left.Count > 0 ? $"its attachments were not stored ({string.Join(", ", left)})." : "only its text was stored.")
            + (cut is { } octets && octets > options.MaxRawBytes
                ? $" Only the first {options.MaxRawBytes / (1024 * 1024.0):0.#} MB of its text ({octets / (1024 * 1024.0):0.#} MB as sent) were read."
                : "");
        try
        {
            return EmailParser.FromMessage(message, raw: null, context with { OversizeNote = note });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return EmailParser.Parse(System.Text.Encoding.UTF8.GetBytes(string.Join("", headers.Select(h => h.ToString() + "\n")) + "\n" + note), context);
        }
    }

    /// <summary>
    /// The first <see cref="EmailOptions.MaxRawBytes"/> of a text part as the server holds it (still transfer-encoded), as a
    /// part of its own type, charset and encoding: decoding a cut base64 or quoted-printable body gives its beginning.
    /// </summary>
    private async Task<MimePart> TextHeadAsync(IMailFolder inbox, UniqueId uid, BodyPartBasic part, CancellationToken ct)
    {
        var head = new MemoryStream();
        // The part's content without its MIME header; a message that is one text part is the message's TEXT (its
        // specifier is empty, and BODY[] would start with the mail's own header lines).
        var section = string.IsNullOrEmpty(part.PartSpecifier) ? "TEXT" : part.PartSpecifier;
        await using (var stream = await inbox.GetStreamAsync(uid, section, 0, options.MaxRawBytes, ct))
        {
            await stream.CopyToAsync(head, ct);
        }
        head.Position = 0;
        var text = new TextPart(part.ContentType.MediaSubtype);
        if (part.ContentType.Charset is { Length: > 0 } charset)
        {
            text.ContentType.Charset = charset;
        }
        var encoding = MimeUtils.TryParse(part.ContentTransferEncoding ?? "", out ContentEncoding parsed) ? parsed : ContentEncoding.Default;
        text.Content = new MimeContent(head, encoding);
        return text;
    }
}
