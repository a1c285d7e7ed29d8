using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.Connectors.WebChat.Widget;

public sealed class AllowedPageHandler(IChannelDirectory channels) : AuthorizationHandler<AllowedPageRequirement, HttpContext>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AllowedPageRequirement requirement, HttpContext resource)
    {
        if (VisitorAuth.From(context.User) is not { } visitor)
        {
            return;
        }
        var channel = await channels.FindAsync(visitor.ChannelId, resource.RequestAborted);
        if (channel is { Kind: ChannelKinds.Webchat, Enabled: true } && SiteOrigins.IsAllowed(channel, resource.Request))
        {
            context.Succeed(requirement);
        }
    }
}
