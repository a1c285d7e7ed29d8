using ContactCenter.Core;
using ContactCenter.Core.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>WhatsApp Business (Cloud API). The host must register an <see cref="IWhatsAppOptOuts"/> (it owns the storage).</summary>
public static class WhatsAppConnector
{
    public static IHostApplicationBuilder AddWhatsAppConnector(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WhatsAppOptions>().BindConfiguration("WhatsApp");
        services.AddHttpClient(WhatsAppGraph.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(60))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().CreateHandler());
        services.AddSingleton<WhatsAppGraph>();
        services.AddSingleton<WhatsAppTemplateClient>();
        services.AddSingleton<IChannelKindHandler, WhatsAppChannelKind>();
        services.AddSingleton<IChannelSender, WhatsAppSender>();
        services.AddSingleton<IInboundMediaFetcher, WhatsAppMediaFetcher>();
        return builder;
    }

    public static IEndpointRouteBuilder MapWhatsAppConnector(this IEndpointRouteBuilder app) => app.MapWhatsAppWebhook();
}
