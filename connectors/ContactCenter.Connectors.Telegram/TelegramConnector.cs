using ContactCenter.Core;
using ContactCenter.Core.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Connectors.Telegram;

public static class TelegramConnector
{
    public static IHostApplicationBuilder AddTelegramConnector(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelegramOptions>().BindConfiguration("Telegram");
        // Longer than a getUpdates long poll.
        // The Bot API takes the bot's token in the URL path (/bot<token>/method): HttpClientFactory's own request logging
        // would write it to the log at Information, so this client logs nothing of its own.
        services.AddHttpClient(TelegramClients.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(90))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().CreateHandler())
            .RemoveAllLoggers();
        services.AddSingleton<TelegramClients>();
        services.AddSingleton<TelegramUpdateProcessor>();
        services.AddSingleton<IChannelKindHandler, TelegramChannelKind>();
        services.AddSingleton<IChannelSender, TelegramChannelSender>();
        services.AddSingleton<IInboundMediaFetcher, TelegramMediaFetcher>();
        services.AddSingleton<TelegramPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<TelegramPoller>());
        return builder;
    }

    public static IEndpointRouteBuilder MapTelegramConnector(this IEndpointRouteBuilder app) => app.MapTelegramWebhook();
}
