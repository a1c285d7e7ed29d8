using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.Email;

/// <summary>The channel's status is written on a best-effort basis: failing to record a problem must not stop the reader.</summary>
internal static class StatusWrites
{
    public static async Task TryAsync(ILogger logger, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogDebug(ex, "Could not record the channel's status");
        }
    }
}
