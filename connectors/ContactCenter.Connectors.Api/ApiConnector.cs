using ContactCenter.Core;
using ContactCenter.Core.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Connectors.Api;

public static class ApiConnector
{
    public static IHostApplicationBuilder AddApiConnector(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IChannelKindHandler, ApiChannelKind>();
        builder.Services.AddSingleton<IChannelSender, ApiChannelSender>();
        // Callbacks go where an admin pointed them: through the guard, never to internal addresses that are not allowed.
        builder.Services.AddHttpClient(ApiChannelSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().CreateHandler());
        return builder;
    }

    public static IEndpointRouteBuilder MapApiConnector(this IEndpointRouteBuilder app) => app.MapApiInbound();
}
