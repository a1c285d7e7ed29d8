using ContactCenter.Api.Features.Channels;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Connectors.Sms;
using ContactCenter.Core;
using Npgsql;

namespace ContactCenter.Api.Features.Sms;

/// <summary>Opt-out state per (sms channel, number), and the reply guard that turns it into a 409.</summary>
public sealed class SmsOptOutStore(NpgsqlDataSource db) : ISmsOptOuts, IReplyGuard
{
    public const string Refusal = "This number opted out of SMS from this channel (it texted STOP). Nothing can be sent until it texts START.";

    private readonly OptOutTable table = new(db, "sms_opt_outs", "phone", ChannelKinds.Sms);

    public Task RecordAsync(long channelId, string phone, bool optedOut, string keyword, long messageId, CancellationToken cancellationToken) =>
        table.RecordAsync(channelId, phone, optedOut, keyword, messageId, cancellationToken);

    public Task<bool> IsOptedOutAsync(long channelId, string phone, CancellationToken cancellationToken) =>
        table.IsOptedOutAsync(channelId, phone, cancellationToken);

    /// <summary>The reply guard: refuses a reply on an sms conversation whose number opted out.</summary>
    public async Task<ConversationService.Refusal?> CheckAsync(long conversationId, ConversationService.ReplyParts parts, CancellationToken ct) =>
        await table.BlocksRepliesAsync(conversationId, ct) ? new ConversationService.Refusal(Refusal) : null;
}
