using ContactCenter.Api.Features.Conversations;
using ContactCenter.Connectors.WhatsApp;

namespace ContactCenter.Api.Features.WhatsApp;

/// <summary>The WhatsApp (Cloud API) connector plus what it needs from the host: opt-out storage, the reply guards, the composer routes.</summary>
public static class WhatsAppExtensions
{
    public static IHostApplicationBuilder AddWhatsApp(this IHostApplicationBuilder builder)
    {
        builder.AddWhatsAppConnector();
        builder.Services.AddSingleton<WhatsAppOptOutStore>();
        builder.Services.AddSingleton<IWhatsAppOptOuts>(sp => sp.GetRequiredService<WhatsAppOptOutStore>());
        builder.Services.AddSingleton<WhatsAppWindow>();
        // Opt-out first: an opted-out customer gets that reason, not "send a template".
        builder.Services.AddSingleton<IReplyGuard>(sp => sp.GetRequiredService<WhatsAppOptOutStore>());
        builder.Services.AddSingleton<IReplyGuard>(sp => sp.GetRequiredService<WhatsAppWindow>());
        return builder;
    }

    public static IEndpointRouteBuilder MapWhatsApp(this IEndpointRouteBuilder app) => app.MapWhatsAppConnector().MapWhatsAppApi();
}
