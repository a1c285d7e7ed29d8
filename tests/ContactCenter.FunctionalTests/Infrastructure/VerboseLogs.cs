using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>An app node that logs everything at trace level into a <see cref="LogSink"/>, for the secrets-in-logs tests.</summary>
public static class VerboseLogs
{
    public static IDictionary<string, string?> Settings(IDictionary<string, string?> settings)
    {
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft"] = "Trace";
        settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        settings["Logging:LogLevel:System.Net.Http"] = "Trace";
        return settings;
    }

    public static void Into(IServiceCollection services, LogSink sink) =>
        services.AddLogging(l => l.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(sink));
}
