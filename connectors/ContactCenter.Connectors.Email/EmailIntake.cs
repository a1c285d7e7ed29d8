using System.Data.Common;
using System.Net.Sockets;
using ContactCenter.Core;
using MailKit;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.Email;

/// <summary>
/// Stores one email a <see cref="MailboxReader"/> parsed: through the inbound pipeline (in its thread), else as a plain
/// copy when the database refuses it as read, retried with backoff; an email that still cannot be stored is parked in
/// unhandled_inbound with its raw MIME. Each failure is shown on the channel's status. One per reader, so the failing
/// UID it shows is kept across the reader's reconnects.
/// </summary>
internal sealed class EmailIntake(
    ChannelInfo channel,
    IEmailStore store,
    IInboundPipeline pipeline,
    IUnhandledInboundSink unhandled,
    EmailOptions options,
    ILogger logger)
{
    /// <summary>The UID whose store failure the channel's status shows (kept across reconnects).</summary>
    private long? failingUid;

    public async Task StoreAsync(EmailVerdict.Store verdict, UniqueId uid, long validity, byte[]? raw, CancellationToken ct)
    {
        // The stored UID moves past this message only once it is stored or parked: a refusal is retried with backoff and
        // shown on the channel's status; when every attempt fails the raw MIME goes to unhandled_inbound. If even that
        // fails, the exception leaves the sync and the reader reconnects and starts again at this UID.
        Exception? error = null;
        for (var attempt = 1; attempt <= MailboxReader.StoreAttempts; attempt++)
        {
            error = await TryStoreAsync(verdict, uid, ct);
            if (error is null)
            {
                if (failingUid == uid.Id)
                {
                    failingUid = null;
                    await StatusWrites.TryAsync(logger, () => store.ClearImapErrorAsync(channel.Id, storeFailure: true, CancellationToken.None));
                }
                return;
            }
            if (failingUid != uid.Id)
            {
                // Shown once per message: after a reconnect the retries must not hide a later, more precise report.
                failingUid = uid.Id;
                await StatusWrites.TryAsync(logger, () => store.SetImapErrorAsync(channel.Id,
                    $"{MailboxReader.StoreFailurePrefix}the email UID {uid.Id} ({verdict.Message.ExternalId}) could not be stored: {error.Message}; retrying",
                    CancellationToken.None));
            }
            if (attempt < MailboxReader.StoreAttempts)
            {
                await Task.Delay(options.ReconnectBackoff(attempt), ct);
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
            if (message.Metadata?.GetValueOrDefault("fingerprint") is { } fingerprint
                && await store.IsAnotherEmailAsync(channel.Id, message.ExternalId, fingerprint, ct))
            {
                // Another email already holds this Message-ID (a sender that reuses one): this one is new, not a repeat.
                logger.LogInformation("Email channel {ChannelId}: UID {Uid} reuses the Message-ID of another email; stored under its own id", channel.Id, uid.Id);
                message = message with { ExternalId = $"{message.ExternalId}#{fingerprint}" };
            }
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
            await StatusWrites.TryAsync(logger, () => store.SetImapErrorAsync(channel.Id, MailboxReader.StoreFailurePrefix + problem, CancellationToken.None));
            throw new InvalidOperationException(problem, ex);
        }
        failingUid = null;
        logger.LogError("Email channel {ChannelId}: UID {Uid} could not be stored; kept in unhandled_inbound as {ExternalId}", channel.Id, uid.Id, externalId);
        // Stays on the channel until its set-up is checked again: people must look at the parked email.
        await StatusWrites.TryAsync(logger, () => store.SetImapErrorAsync(channel.Id,
            $"{MailboxReader.StoreFailurePrefix}the email UID {uid.Id} ({message.ExternalId}) could not be stored ({error.Message}); it was kept with its raw MIME in unhandled_inbound.",
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
}
