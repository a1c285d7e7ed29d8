namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Hangfire logs through one static provider; this one forwards to the logger factory of the app that started last
/// and is still running, so an app disposed in the same process (tests start many) is never logged to.
/// </summary>
internal sealed class HangfireLogs : Hangfire.Logging.ILogProvider
{
    private static readonly HangfireLogs Instance = new();
    private static readonly List<ILoggerFactory> Live = [];

    public static void Use(ILoggerFactory loggers)
    {
        lock (Live)
        {
            Live.Add(loggers);
        }
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(Instance);
    }

    public static void Release(ILoggerFactory loggers)
    {
        lock (Live)
        {
            Live.Remove(loggers);
        }
    }

    public Hangfire.Logging.ILog GetLogger(string name) => new Forwarder(name);

    private sealed class Forwarder(string name) : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            ILoggerFactory? loggers;
            lock (Live)
            {
                loggers = Live.LastOrDefault();
            }
            if (loggers is null)
            {
                return false;
            }
            var level = logLevel switch
            {
                Hangfire.Logging.LogLevel.Trace => LogLevel.Trace,
                Hangfire.Logging.LogLevel.Debug => LogLevel.Debug,
                Hangfire.Logging.LogLevel.Info => LogLevel.Information,
                Hangfire.Logging.LogLevel.Warn => LogLevel.Warning,
                Hangfire.Logging.LogLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            try
            {
                var logger = loggers.CreateLogger(name);
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }
                if (logger.IsEnabled(level))
                {
#pragma warning disable CA2254 // Hangfire hands over finished messages, not templates.
                    logger.Log(level, exception, messageFunc());
#pragma warning restore CA2254
                }
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
