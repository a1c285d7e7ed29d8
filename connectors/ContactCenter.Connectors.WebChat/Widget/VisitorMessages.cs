using System.Text.Json;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// One way in for everything a visitor says (a chat message, a file, the offline form): the inbound pipeline, exactly
/// once per client message id (the external id is <see cref="VisitorMessageIds.ExternalId"/>), then the visitor's other tabs.
/// </summary>
public sealed class VisitorMessages(IWebChatStore store, IInboundPipeline pipeline, IHubContext<WidgetHub, IWidgetClient> hub, ILogger<WidgetHub> logger)
{
    /// <param name="Extra">Facts kept on the message's metadata (e.g. `form: offline`).</param>
    public sealed record Draft(Visitor Visitor, string ClientMessageId, string? Text, IReadOnlyList<InboundAttachment> Attachments,
        IReadOnlyDictionary<string, string>? Extra = null);

    public async Task<WidgetMessage> IngestAsync(Draft draft, HttpContext http, CancellationToken ct)
    {
        var visitor = draft.Visitor;
        var profile = await store.ProfileAsync(visitor, ct);
        var page = http.Request.Headers.Referer.ToString();
        var metadata = new Dictionary<string, string>(draft.Extra ?? new Dictionary<string, string>());
        if (page.Length is > 0 and <= 2000)
        {
            metadata["page"] = page;
        }
        var files = draft.Attachments.Select(a => new { a.FileName, a.ContentType, a.Size }).ToList();
        var inbound = new InboundMessage(visitor.ChannelId, VisitorMessageIds.ExternalId(visitor, draft.ClientMessageId), visitor.Key,
            // Not matched to a known customer by an email or phone nobody proved (issue 15): a new contact, flagged as a possible duplicate.
            new SenderIdentity(visitor.Key, profile.Name, profile.Email, profile.Phone) { Unverified = !visitor.Vouches(profile.Email) },
            draft.Text, Html: null, draft.Attachments, SentAt: null, ReplyToExternalId: null,
            JsonSerializer.Serialize(new { text = draft.Text, clientMessageId = draft.ClientMessageId, page, files }))
        {
            Metadata = metadata.Count > 0 ? metadata : null,
        };
        var result = await pipeline.IngestAsync(inbound, ct);
        var message = (await store.GetMessageAsync(result.MessageId, ct))!;
        if (!result.Duplicate)
        {
            try
            {
                // The visitor's other tabs show it too.
                await hub.Clients.Group(WidgetGroups.Visitor(visitor)).messageCreated(message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Stored is what counts; the other tabs catch up from history when they reconnect.
                logger.LogWarning(ex, "Push of widget message {MessageId} to the visitor's other tabs failed", message.Id);
            }
        }
        return message;
    }
}
