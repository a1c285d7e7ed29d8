using ContactCenter.Connectors.Sms;
using ContactCenter.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Connectors.Voice;

/// <summary>Telephony over Twilio Voice. The host must register an <see cref="ICallLedger"/> (it owns storage and presence).</summary>
public static class VoiceConnector
{
    public static IHostApplicationBuilder AddVoiceConnector(this IHostApplicationBuilder builder)
    {
        // Shared with the sms connector when both are present: one pooled handler and media fetcher per app.
        builder.Services.TryAddSingleton<TwilioHttp>();
        builder.Services.TryAddSingleton<TwilioMediaClient>();
        builder.Services.AddSingleton<VoiceCalls>();
        builder.Services.AddSingleton<IChannelKindHandler, VoiceChannelKind>();
        return builder;
    }

    public static IEndpointRouteBuilder MapVoiceConnector(this IEndpointRouteBuilder app) => app.MapVoiceWebhooks();
}
