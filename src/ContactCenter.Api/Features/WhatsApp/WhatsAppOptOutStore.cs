using ContactCenter.Api.Features.Channels;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Connectors.WhatsApp;
using ContactCenter.Core;
using Npgsql;

namespace ContactCenter.Api.Features.WhatsApp;

/// <summary>Opt-out state per (whatsapp channel, customer), and the reply guard that turns it into a 409 — the SMS rule.</summary>
public sealed class WhatsAppOptOutStore(NpgsqlDataSource db) : IWhatsAppOptOuts, IReplyGuard
{
    public const string Code = "whatsapp-opted-out";

    public const string Refusal = "This customer opted out of WhatsApp messages from this channel (they wrote STOP). Nothing can be sent until they write START.";

    private readonly OptOutTable table = new(db, "whatsapp_opt_outs", "wa_id", ChannelKinds.WhatsApp);

    public Task RecordAsync(long channelId, string waId, bool optedOut, string keyword, long messageId, CancellationToken cancellationToken) =>
        table.RecordAsync(channelId, waId, optedOut, keyword, messageId, cancellationToken);

    public Task<bool> IsOptedOutAsync(long channelId, string waId, CancellationToken cancellationToken) =>
        table.IsOptedOutAsync(channelId, waId, cancellationToken);

    /// <summary>A reply guard: refuses anything (free text or a template) on a whatsapp conversation whose customer opted out.</summary>
    public async Task<ConversationService.Refusal?> CheckAsync(long conversationId, ConversationService.ReplyParts parts, CancellationToken ct) =>
        await table.BlocksRepliesAsync(conversationId, ct) ? new ConversationService.Refusal(Refusal, Code) : null;
}
