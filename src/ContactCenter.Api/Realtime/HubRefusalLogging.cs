using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// SignalR logs every exception a hub method throws at Error with its stack trace (its dispatcher's category), including
/// the <see cref="HubException"/>s that are the methods' answers to a caller ("There is no such conversation."): any
/// signed-in client could fill the error log with them. The dispatcher's own log is off (<see cref="Category"/>); this
/// filter logs a refusal at Debug and anything else at Error, as before.
/// </summary>
public sealed class HubRefusalLogging(ILogger<HubRefusalLogging> logger) : IHubFilter
{
    public const string Category = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException refusal)
        {
            logger.LogDebug("Hub method {Method} refused: {Reason}", invocationContext.HubMethodName, refusal.Message);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Hub method {Method} failed", invocationContext.HubMethodName);
            throw;
        }
    }

    // The dispatcher also logged failures of connecting and disconnecting: they are logged here now.
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Hub connection {ConnectionId} failed to start", context.Context.ConnectionId);
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Hub connection {ConnectionId} failed to end", context.Context.ConnectionId);
            throw;
        }
    }
}
