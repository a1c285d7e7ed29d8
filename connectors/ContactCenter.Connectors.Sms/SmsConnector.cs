using ContactCenter.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Connectors.Sms;

/// <summary>The SMS channel over Twilio. The host must register an <see cref="ISmsOptOuts"/> (it owns the storage).</summary>
public static class SmsConnector
{
    public static IHostApplicationBuilder AddSmsConnector(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TwilioHttp>();
        builder.Services.AddSingleton<TwilioMediaClient>();
        builder.Services.AddSingleton<IInboundMediaFetcher, TwilioMediaFetcher>();
        builder.Services.AddSingleton<IChannelKindHandler, SmsChannelKind>();
        builder.Services.AddSingleton<IChannelSender, TwilioSender>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSmsConnector(this IEndpointRouteBuilder app) => app.MapTwilioWebhooks().MapSmsSegmentsApi();
}
