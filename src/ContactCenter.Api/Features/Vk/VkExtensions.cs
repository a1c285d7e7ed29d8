using ContactCenter.Api.Features.Conversations;
using ContactCenter.Connectors.Vk;

namespace ContactCenter.Api.Features.Vk;

/// <summary>The VK connector plus what it needs from the host: its store (permissions, the community's own messages) and the reply guard.</summary>
public static class VkExtensions
{
    public static IHostApplicationBuilder AddVk(this IHostApplicationBuilder builder)
    {
        builder.AddVkConnector();
        builder.Services.AddSingleton<VkStore>();
        builder.Services.AddSingleton<IVkStore>(sp => sp.GetRequiredService<VkStore>());
        builder.Services.AddSingleton<IReplyGuard>(sp => sp.GetRequiredService<VkStore>());
        return builder;
    }

    public static IEndpointRouteBuilder MapVk(this IEndpointRouteBuilder app) => app.MapVkConnector();
}
