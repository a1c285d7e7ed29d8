using ContactCenter.Connectors.WebChat.Forms;
using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Connectors.WebChat.Widget;
using ContactCenter.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Connectors.WebChat;

/// <summary>
/// The company's own site as channels: the chat widget (`webchat`) and web forms (`webform`). The host must register an
/// <see cref="IWebChatStore"/> (it owns the storage).
/// </summary>
public static class WebChatConnector
{
    public static IHostApplicationBuilder AddWebChatConnector(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebChatOptions>().BindConfiguration("WebChat")
            .Validate(o => o.RateWindow > TimeSpan.Zero && o.TokenLifetime > TimeSpan.Zero && o.MaxTextLength > 0 && o.MaxFieldLength > 0 && o.MaxUploadBytes > 0,
                "WebChat: RateWindow, TokenLifetime and the length limits must be positive.")
            .ValidateOnStart();
        services.AddSingleton<IChannelKindHandler, WebchatChannelKind>();
        services.AddSingleton<IChannelKindHandler, WebformChannelKind>();
        services.AddSingleton<IChannelSender, WebchatChannelSender>();
        services.AddSingleton<ITypingRelay, WebchatTypingRelay>();
        services.AddSingleton<IReadReceiptRelay, WebchatReadRelay>();
        services.AddSingleton<VisitorTokens>();
        services.AddSingleton<SiteRateLimiter>();
        services.AddSingleton<WidgetGate>();
        services.AddSingleton<VisitorMessages>();
        services.AddSingleton<WidgetScript>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, VisitorAuthenticationHandler>(VisitorAuth.Scheme, null);
        services.AddSingleton<IAuthorizationHandler, AllowedPageHandler>();
        services.AddAuthorizationBuilder().AddPolicy(VisitorAuth.Policy, p => p
            .AddAuthenticationSchemes(VisitorAuth.Scheme).RequireAuthenticatedUser().AddRequirements(new AllowedPageRequirement()));
        return builder;
    }

    public static IEndpointRouteBuilder MapWebChatConnector(this IEndpointRouteBuilder app)
    {
        app.MapWidgetScript();
        app.MapWidgetDemoPage();
        app.MapWidgetApi();
        app.MapFormsApi();
        app.MapHub<WidgetHub>("/hubs/widget").RequireAuthorization(VisitorAuth.Policy);
        return app;
    }
}
