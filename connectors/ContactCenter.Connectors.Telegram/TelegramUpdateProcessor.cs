using ContactCenter.Core;
using Microsoft.Extensions.Logging;
using Telegram.Bot.Types;

namespace ContactCenter.Connectors.Telegram;

/// <summary>Stores one update, whichever way it came (webhook or polling). Returns only after it is stored.</summary>
public sealed class TelegramUpdateProcessor(IInboundPipeline pipeline, IConversationNotes notes, ILogger<TelegramUpdateProcessor> logger)
{
    public async Task<TelegramInbound> ProcessAsync(ChannelInfo channel, Update update, string raw, CancellationToken ct)
    {
        var mapped = TelegramInboundMapper.Map(channel.Id, update, raw);
        switch (mapped)
        {
            case TelegramInbound.NewMessage m:
                await pipeline.IngestAsync(m.Message, ct);
                break;
            case TelegramInbound.Edit e:
                await pipeline.EditAsync(e.Value, ct);
                break;
            case TelegramInbound.Ignored i:
                logger.LogInformation("Telegram channel {ChannelId}: ignored update {UpdateId}, {Reason}", channel.Id, update.Id, i.Reason);
                break;
            case TelegramInbound.BotBlocked b:
                // Telegram says so the moment it happens: the managers learn before a reply fails.
                var (key, text) = b.Blocked
                    ? (TelegramChannelSender.BlockedNotice, TelegramChannelSender.BlockedText)
                    : ("telegram.unblocked", "The customer unblocked the bot: replies can be delivered again.");
                if (!await notes.AddOnceForContactAsync(channel.Id, b.Address, key, text, ct))
                {
                    logger.LogInformation("Telegram channel {ChannelId}: user {User} {Change} the bot (no conversation to note it in, or noted already)",
                        channel.Id, b.Address, b.Blocked ? "blocked" : "unblocked");
                }
                break;
            case TelegramInbound.Unhandled u:
                logger.LogWarning("Telegram channel {ChannelId}: update {UpdateId} ({Kind}) is not handled; stored for review", channel.Id, update.Id, u.Value.Kind);
                await pipeline.RecordUnhandledAsync(u.Value, ct);
                break;
        }
        return mapped;
    }
}
