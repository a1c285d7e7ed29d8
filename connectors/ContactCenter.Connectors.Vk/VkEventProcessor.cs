using ContactCenter.Core;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.Vk;

/// <summary>Stores one Callback API event; returns only once it is durably stored, so the webhook may answer `ok`.</summary>
public sealed class VkEventProcessor(
    IInboundPipeline pipeline, IUnhandledInboundSink unhandled, IVkStore store, IConversationNotes notes, VkNames names, TimeProvider clock, ILogger<VkEventProcessor> logger)
{
    public async Task<VkInbound> ProcessAsync(ChannelInfo channel, VkInbound mapped, CancellationToken ct)
    {
        var settings = VkSettings.From(channel);
        switch (mapped)
        {
            case VkInbound.NewMessage m:
                var name = await names.LookupAsync(settings, m.Message.Sender.Address, ct);
                var message = m.Message with { Sender = m.Message.Sender with { DisplayName = name.DisplayName, Username = name.ScreenName } };
                await pipeline.IngestAsync(message, ct);
                // A customer who writes to the community may be answered (VK allows it); an older message redelivered
                // after a newer "deny" changes nothing, since the state keeps the newest change.
                if (await store.SetPermissionAsync(channel.Id, message.Sender.Address, allowed: true, message.SentAt ?? clock.GetUtcNow(), ct))
                {
                    logger.LogInformation("VK channel {ChannelId}: user {User} wrote again after denying messages", channel.Id, message.Sender.Address);
                }
                break;
            case VkInbound.Edit e:
                await pipeline.EditAsync(e.Value, ct);
                break;
            case VkInbound.CommunityMessage c:
                var result = await store.RecordCommunityMessageAsync(c.Value, ct);
                if (result == VkRecordResult.NoConversation)
                {
                    logger.LogWarning("VK channel {ChannelId}: a community message to {User} with no conversation here; stored for review", channel.Id, c.Value.PeerAddress);
                    await unhandled.RecordUnhandledAsync(new UnhandledInbound(channel.Id, "reply:" + c.Value.ExternalId, "message_reply", c.Value.RawPayload), ct);
                }
                break;
            case VkInbound.CommunityEdit ce:
                if (!await store.EditCommunityMessageAsync(ce.ChannelId, ce.ExternalId, ce.Text, ce.EditedAt ?? clock.GetUtcNow(), ct))
                {
                    logger.LogInformation("VK channel {ChannelId}: edit of community message {ExternalId} that is not stored; ignored", channel.Id, ce.ExternalId);
                }
                break;
            case VkInbound.Permission p:
                if (await store.SetPermissionAsync(channel.Id, p.UserId, p.Allowed, clock.GetUtcNow(), ct) || !p.Allowed)
                {
                    // Said the moment VK says it, so managers learn before a reply fails.
                    var (key, text) = p.Allowed ? (VkErrors.AllowedNotice, VkErrors.AllowedText) : (VkErrors.DeniedNotice, VkErrors.DeniedText);
                    await notes.AddOnceForContactAsync(channel.Id, p.UserId, key, text, ct);
                }
                break;
            case VkInbound.Ignored i:
                logger.LogInformation("VK channel {ChannelId}: ignored an event ({Reason})", channel.Id, i.Reason);
                break;
            case VkInbound.Unhandled u:
                logger.LogWarning("VK channel {ChannelId}: event {Kind} is not handled; stored for review", channel.Id, u.Value.Kind);
                await unhandled.RecordUnhandledAsync(u.Value, ct);
                break;
        }
        return mapped;
    }
}
