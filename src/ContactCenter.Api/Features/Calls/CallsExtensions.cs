using ContactCenter.Api.Outbound;
using ContactCenter.Connectors.Voice;

namespace ContactCenter.Api.Features.Calls;

/// <summary>Telephony: the Twilio Voice connector plus its host half (call storage, recordings, click-to-call, stats).</summary>
public static class CallsExtensions
{
    public static IHostApplicationBuilder AddCalls(this IHostApplicationBuilder builder)
    {
        builder.AddVoiceConnector();
        builder.Services.AddSingleton<CallLedger>();
        builder.Services.AddSingleton<ICallLedger>(sp => sp.GetRequiredService<CallLedger>());
        builder.Services.AddSingleton<ClickToCall>();
        builder.Services.AddSingleton<IOutboxHandler, RecordingHandler>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCalls(this IEndpointRouteBuilder app) => app.MapVoiceConnector().MapCallsApi();
}
