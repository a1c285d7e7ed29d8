using ContactCenter.Core;
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
        builder.Services.AddHttpClient(ApiChannelSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        return builder;
    }

    public static IEndpointRouteBuilder MapApiConnector(this IEndpointRouteBuilder app) => app.MapApiInbound();
}
