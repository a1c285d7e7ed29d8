namespace ContactCenter.Core;

/// <summary>What every channel kind does with the result of its check after a save.</summary>
public static class ChannelSetUp
{
    /// <summary>
    /// Shows <paramref name="problem"/> on the channel (null clears it: the channel is ready) after handing it to
    /// <paramref name="warn"/> (the connector's log line, in its own words).
    /// </summary>
    public static async Task RecordSetUpAsync(this IChannelDirectory channels, ChannelInfo channel, string? problem, Action<string> warn, CancellationToken cancellationToken)
    {
        if (problem is not null)
        {
            warn(problem);
        }
        await channels.SetStatusErrorAsync(channel.Id, problem, cancellationToken);
    }
}
