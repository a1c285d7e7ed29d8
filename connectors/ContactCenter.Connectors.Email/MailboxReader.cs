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
        var cut = new List<string>();
        var unread = new List<string>();
        foreach (var (part, kind) in new[] { (summary?.TextBody, "text"), (summary?.HtmlBody, "HTML") })
        {
            if (part is null)
            {
                continue;
            }
            if (part.Octets <= options.MaxMessageBytes)
            {
                alternative.Add(await inbox.GetBodyPartAsync(uid, part, ct));
                continue;
            }
            // A text over the limit on its own (a log pasted in, a 1C export, a digest) keeps its beginning instead of
            // being dropped: the email was stored with the subject and this note alone.
            try
            {
                alternative.Add(await TextHeadAsync(inbox, uid, part, ct));
                if (part.Octets > OversizeTextBytes)
                {
                    cut.Add($"{kind} ({Megabytes(part.Octets)} MB as sent)");
                }
            }
            catch (Exception ex) when (ex is ImapCommandException or MessageNotFoundException or FormatException or NotSupportedException)
            {
                // A server that refuses a partial fetch must not hold up the mailbox: the email is stored without it.
                logger.LogWarning("Email channel {ChannelId}: UID {Uid}: the beginning of its {Kind} could not be read: {Error}", channel.Id, uid, kind, ex.Message);
                unread.Add(kind);
            }
        }
        message.Body = alternative;
        var left = summary?.Attachments.Select(a => $"{FileNames.Clean(a.FileName, "attachment")} ({a.Octets / 1024} KB)").ToList() ?? [];
        var note = $"This email is {Megabytes(size)} MB, over the {Megabytes(options.MaxMessageBytes)} MB limit: "
            + (left.Count > 0 ? $"its attachments were not stored ({string.Join(", ", left)})." : "only its text was stored.")
            + (cut.Count > 0 ? $" Only the first {Megabytes(OversizeTextBytes)} MB of its {string.Join(" and ", cut)} were read." : "")
            + (unread.Count > 0 ? $" Its {string.Join(" and ", unread)} could not be read from the server." : "");
        try
        {
            return EmailParser.FromMessage(message, raw: null, context with { OversizeNote = note });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return EmailParser.Parse(System.Text.Encoding.UTF8.GetBytes(string.Join("", headers.Select(h => h.ToString() + "\n")) + "\n" + note), context);
        }
    }

    /// <summary>How much of an over-the-limit text or HTML part is fetched, as the server holds it (base64 or quoted-printable):
    /// 2 MB covers the 200,000 characters a message text is cut to in any encoding.</summary>
    public const int OversizeTextBytes = 2 * 1024 * 1024;

    private static string Megabytes(long bytes) => (bytes / (1024 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The first <see cref="OversizeTextBytes"/> of a text part as the server holds it, decoded and, when that was not all
    /// of it, cut back to its last line end (for HTML, its last tag end), as a part of its own type and parameters (charset, format=flowed): a cut
    /// inside a character would make the whole part fail the UTF-8 check of a part that names no charset, and then it would
    /// be read in a Cyrillic code page.
    /// </summary>
    private async Task<MimePart> TextHeadAsync(IMailFolder inbox, UniqueId uid, BodyPartBasic part, CancellationToken ct)
    {
        var encoded = new MemoryStream();
        // The part's content without its MIME header; a message that is one text part is the message's TEXT (its
        // specifier is empty, and BODY[] would start with the mail's own header lines).
        var section = string.IsNullOrEmpty(part.PartSpecifier) ? "TEXT" : part.PartSpecifier;
        await using (var stream = await inbox.GetStreamAsync(uid, section, 0, OversizeTextBytes, ct))
        {
            await stream.CopyToAsync(encoded, ct);
        }
        encoded.Position = 0;
        var encoding = MimeUtils.TryParse(part.ContentTransferEncoding ?? "", out ContentEncoding parsed) ? parsed : ContentEncoding.Default;
        var decoded = new MemoryStream();
        new MimeContent(encoded, encoding).DecodeTo(decoded);
        var bytes = decoded.GetBuffer().AsSpan(0, (int)decoded.Length);
        var end = bytes.LastIndexOf(part.ContentType.MediaSubtype.Equals("html", StringComparison.OrdinalIgnoreCase) ? (byte)'>' : (byte)'\n');
        // Only a part that was fetched in part is cut back (a whole one keeps a last line without a line end).
        var kept = encoded.Length < part.Octets && end > 0 ? end + 1 : bytes.Length;
        var text = new TextPart(part.ContentType.MediaSubtype);
        foreach (var parameter in part.ContentType.Parameters)
        {
            text.ContentType.Parameters[parameter.Name] = parameter.Value;
        }
        text.Content = new MimeContent(new MemoryStream(decoded.GetBuffer(), 0, kept, writable: false), ContentEncoding.Default);
        return text;
    }
}
