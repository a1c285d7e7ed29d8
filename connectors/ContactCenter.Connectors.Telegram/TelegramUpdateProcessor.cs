using ContactCenter.Core;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace ContactCenter.Connectors.Telegram;

/// <summary>Stores one update, whichever way it came (webhook or polling). Returns only after it is stored.</summary>
public sealed class TelegramUpdateProcessor(IInboundPipeline pipeline, IUnhandledInboundSink unhandled, IConversationNotes notes, TelegramClients clients, ICsatRatings ratings,
    ILogger<TelegramUpdateProcessor> logger)
{
    public async Task<TelegramInbound> ProcessAsync(ChannelInfo channel, Update update, string raw, CancellationToken ct)
    {
        if (update.CallbackQuery is { Data: { } data } callback && data.StartsWith(TelegramChannelSender.CsatCallbackPrefix, StringComparison.Ordinal))
        {
            await RateAsync(channel, callback, data, ct);
            return new TelegramInbound.Ignored("csat rating");
        }
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
                await unhandled.RecordUnhandledAsync(u.Value, ct);
                break;
        }
        return mapped;
    }

    /// <summary>
    /// A tap on a survey's button: recorded (only for this chat's own survey), then answered so the button stops spinning.
    /// A redelivered update finds the survey rated and only answers again.
    /// </summary>
    private async Task RateAsync(ChannelInfo channel, CallbackQuery callback, string data, CancellationToken ct)
    {
        var parts = data[TelegramChannelSender.CsatCallbackPrefix.Length..].Split(':');
        var outcome = parts.Length == 2 && long.TryParse(parts[0], out var surveyId) && int.TryParse(parts[1], out var rating)
            ? await ratings.RateAsync(new CsatAnswer(channel.Id, surveyId, callback.From.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), rating), ct)
            : CsatOutcome.NotFound;
        var text = outcome switch
        {
            CsatOutcome.Recorded => "Thank you for your rating!",
            CsatOutcome.AlreadyRated => "You have rated this conversation already.",
            _ => "This survey is no longer available.",
        };
        try
        {
            await clients.For(channel).AnswerCallbackQuery(callback.Id, text, cancellationToken: ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The rating is stored; an unanswered callback only leaves the button's spinner until Telegram times it out.
            logger.LogWarning(ex, "Telegram channel {ChannelId}: answering callback {CallbackId} failed", channel.Id, callback.Id);
        }
    }
}
