using ContactCenter.Core;
using ContactCenter.Core.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Connectors.Vk;

/// <summary>VK community messages (Callback API). The host must register an <see cref="IVkStore"/> (it owns the storage).</summary>
public static class VkConnector
{
    public static IHostApplicationBuilder AddVkConnector(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<VkOptions>().BindConfiguration("Vk").PostConfigure<IConfiguration>((o, config) =>
        {
            // One service has one public address: reuse the one configured for the other channels when VK has none.
            if (string.IsNullOrWhiteSpace(o.PublicBaseUrl))
            {
                o.PublicBaseUrl = new[] { config["Telegram:PublicBaseUrl"], config["WebChat:PublicBaseUrl"] }.FirstOrDefault(u => !string.IsNullOrWhiteSpace(u));
            }
        });
        services.AddHttpClient(VkApi.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(60))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().CreateHandler());
        services.AddSingleton<VkApi>();
        services.AddSingleton<VkNames>();
        services.AddSingleton<VkUploads>();
        services.AddSingleton<VkEventProcessor>();
        services.AddSingleton<IChannelKindHandler, VkChannelKind>();
        services.AddSingleton<IChannelSender, VkSender>();
        services.AddSingleton<IInboundMediaFetcher, VkMediaFetcher>();
        return builder;
    }

    public static IEndpointRouteBuilder MapVkConnector(this IEndpointRouteBuilder app) => app.MapVkWebhook();
}
