using System.Globalization;
using System.Text.Json;
using ContactCenter.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace ContactCenter.Connectors.Telegram;

/// <summary>
/// Long polling for bots when the service has no public URL: one getUpdates loop per enabled Telegram channel.
/// The offset is durable (a channel cursor) and moves past an update only after it is stored, so a restart
/// neither loses nor (thanks to the pipeline's dedupe) doubles anything.
/// </summary>
public sealed class TelegramPoller(
    IChannelDirectory channels, IChannelCursors cursors, TelegramClients clients, TelegramUpdateProcessor processor,
    IOptions<TelegramOptions> options, ILogger<TelegramPoller> logger) : BackgroundService
{
    public const string OffsetCursor = "telegram.offset";

    /// <summary>The lease that lets one node poll a bot at a time (Telegram answers 409 to a second poller).</summary>
    public const string PollerLease = "telegram.poller";

    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private sealed record Loop(string Token, string? BaseUrl, CancellationTokenSource Stop, Task Task);

    // Observable progress, so that a test awaits "the poller has looked" instead of sleeping before it asserts that
    // nothing was called: refreshes of the channel list ended, and per channel the rounds its loop ended.
    private long refreshes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> rounds = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, bool> polling = new();

    /// <summary>Refreshes of the channel list ended since start.</summary>
    public long CompletedRefreshes => Interlocked.Read(ref refreshes);

    /// <summary>Rounds (a getUpdates call, or a lease found held by another node) the channel's loop ended since start.</summary>
    public long CompletedRounds(long channelId) => rounds.GetValueOrDefault(channelId);

    /// <summary>Whether a loop for the channel runs on this node right now.</summary>
    public bool IsPolling(long channelId) => polling.ContainsKey(channelId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.UsesWebhooks || !o.PollingEnabled)
        {
            return;
        }
        var loops = new Dictionary<long, Loop>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var wanted = (await channels.ListAsync(ChannelKinds.Telegram, stoppingToken))
                        .Where(c => c.Enabled && !string.IsNullOrWhiteSpace(c.Setting("botToken")))
                        .ToDictionary(c => c.Id);
                    foreach (var (id, loop) in loops.ToList())
                    {
                        if (!wanted.TryGetValue(id, out var channel) || channel.Setting("botToken") != loop.Token
                            || channel.Setting("apiBaseUrl") != loop.BaseUrl || loop.Task.IsCompleted)
                        {
                            await loop.Stop.CancelAsync();
                            await loop.Task.ContinueWith(_ => { }, TaskScheduler.Default);
                            loop.Stop.Dispose();
                            loops.Remove(id);
                        }
                    }
                    foreach (var (id, channel) in wanted)
                    {
                        if (!loops.ContainsKey(id))
                        {
                            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                            loops[id] = new Loop(channel.Setting("botToken")!, channel.Setting("apiBaseUrl"), stop, Task.Run(() => PollAsync(id, stop.Token), CancellationToken.None));
                        }
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Telegram poller could not list channels");
                }
                Interlocked.Increment(ref refreshes);
                await Task.Delay(o.ChannelRefreshInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var loop in loops.Values)
            {
                await loop.Stop.CancelAsync();
                await loop.Task.ContinueWith(_ => { }, TaskScheduler.Default);
                loop.Stop.Dispose();
            }
        }
    }

    /// <summary>Reads one channel's updates until it is disabled, changed or the service stops.</summary>
    private async Task PollAsync(long channelId, CancellationToken ct)
    {
        polling[channelId] = true;
        try
        {
            await PollLoopAsync(channelId, ct);
        }
        finally
        {
            polling.TryRemove(channelId, out _);
        }
    }

    private async Task PollLoopAsync(long channelId, CancellationToken ct)
    {
        var o = options.Value;
        for (; !ct.IsCancellationRequested; rounds.AddOrUpdate(channelId, 1, (_, n) => n + 1))
        {
            try
            {
                var channel = await channels.FindAsync(channelId, ct);
                if (channel is not { Enabled: true })
                {
                    return;
                }
                // Longer than one long poll: the holder renews it before every call.
                if (!await cursors.TryLeaseAsync(channelId, PollerLease, owner, TimeSpan.FromSeconds(o.PollTimeoutSeconds + 30), ct))
                {
                    await Task.Delay(o.ChannelRefreshInterval, ct);
                    continue;
                }
                var received = await PollOnceAsync(channel, ct);
                if (received == 0)
                {
                    await Task.Delay(o.PollIdleDelay, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ApiRequestException ex) when (ex.ErrorCode is 401 or 404)
            {
                logger.LogWarning("Telegram channel {ChannelId}: the bot token was rejected while polling", channelId);
                await SafeAsync(() => channels.SetStatusErrorAsync(channelId, "Telegram rejected the bot token (Unauthorized): check it with @BotFather.", ct));
                await DelayAsync(o.PollErrorDelay * 6, ct);
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 409)
            {
                // A webhook is set, or another process polls the same bot.
                logger.LogWarning("Telegram channel {ChannelId}: getUpdates conflict ({Error})", channelId, ex.Message);
                await DelayAsync(o.PollErrorDelay, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Telegram channel {ChannelId}: polling failed", channelId);
                await DelayAsync(ex is ApiRequestException { ErrorCode: 429, Parameters.RetryAfter: { } after } ? TimeSpan.FromSeconds(after) : o.PollErrorDelay, ct);
            }
        }
    }

    /// <summary>One getUpdates call; each update is stored, then the durable offset moves past it.</summary>
    public async Task<int> PollOnceAsync(ChannelInfo channel, CancellationToken ct)
    {
        var offset = int.TryParse(await cursors.GetCursorAsync(channel.Id, OffsetCursor, ct), NumberStyles.Integer, CultureInfo.InvariantCulture, out var saved)
            ? saved : (int?)null;
        var client = clients.For(channel);
        var updates = await client.GetUpdates(offset: offset, timeout: options.Value.PollTimeoutSeconds,
            allowedUpdates: TelegramClients.AllowedUpdates, cancellationToken: ct);
        foreach (var update in updates.OrderBy(u => u.Id))
        {
            if (offset is { } next && update.Id < next)
            {
                continue;
            }
            var raw = JsonSerializer.Serialize(update, JsonBotAPI.Options);
            await processor.ProcessAsync(channel, update, raw, ct);
            offset = update.Id + 1;
            await cursors.SetCursorAsync(channel.Id, OffsetCursor, offset.Value.ToString(CultureInfo.InvariantCulture), ct);
        }
        if (updates.Length > 0)
        {
            await channels.SetStatusErrorAsync(channel.Id, null, ct);
        }
        return updates.Length;
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task SafeAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
        }
    }
}
