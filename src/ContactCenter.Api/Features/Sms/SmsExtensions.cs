using ContactCenter.Api.Features.Conversations;
using ContactCenter.Connectors.Sms;

namespace ContactCenter.Api.Features.Sms;

/// <summary>The SMS (Twilio) connector plus what it needs from the host: opt-out storage and the reply guard (MMS media go through the connector's IInboundMediaFetcher like every channel's files).</summary>
public static class SmsExtensions
{
    public static IHostApplicationBuilder AddSms(this IHostApplicationBuilder builder)
    {
        builder.AddSmsConnector();
        builder.Services.AddSingleton<SmsOptOutStore>();
        builder.Services.AddSingleton<ISmsOptOuts>(sp => sp.GetRequiredService<SmsOptOutStore>());
        builder.Services.AddSingleton<IReplyGuard>(sp => sp.GetRequiredService<SmsOptOutStore>());
        return builder;
    }

    public static IEndpointRouteBuilder MapSms(this IEndpointRouteBuilder app) => app.MapSmsConnector();
}
