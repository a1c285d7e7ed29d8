using ContactCenter.Connectors.WebChat;

namespace ContactCenter.Api.Features.WebChat;

/// <summary>The web chat and web form connector plus what it needs from the host: its store (visitors, their messages and files).</summary>
public static class WebChatExtensions
{
    public static IHostApplicationBuilder AddWebChat(this IHostApplicationBuilder builder)
    {
        builder.AddWebChatConnector();
        builder.Services.AddSingleton<IWebChatStore, WebChatStore>();
        return builder;
    }
}
