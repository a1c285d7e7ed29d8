using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// The widget hub's door: a visitor token (`access_token` on the WebSocket URL, or a bearer header) and a page
/// allowed by the channel. A refused visitor gets 401/403 before the WebSocket is opened. Managers' JWTs are
/// not visitor tokens, and visitor tokens are not JWTs, so neither passes the other's door.
/// </summary>
public static class VisitorAuth
{
    public const string Scheme = "WidgetVisitor";
    public const string Policy = "widget-visitor";
    private const string ChannelClaim = "webchat:channel";
    private const string KeyClaim = "webchat:visitor";

    public static ClaimsPrincipal Principal(Visitor visitor) => new(new ClaimsIdentity(
        [new Claim(ChannelClaim, visitor.ChannelId.ToString(CultureInfo.InvariantCulture)), new Claim(KeyClaim, visitor.Key)], Scheme));

    public static Visitor? From(ClaimsPrincipal? principal) =>
        principal?.FindFirst(ChannelClaim)?.Value is { } channel && principal.FindFirst(KeyClaim)?.Value is { } key
            ? new Visitor(long.Parse(channel, CultureInfo.InvariantCulture), key)
            : null;
}

public sealed class VisitorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, VisitorTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var visitor = tokens.ReadToken(Request.Query["access_token"].ToString()) ?? tokens.FromRequest(Request);
        return Task.FromResult(visitor is null
            ? AuthenticateResult.Fail("A valid visitor token is required.")
            : AuthenticateResult.Success(new AuthenticationTicket(VisitorAuth.Principal(visitor), VisitorAuth.Scheme)));
    }
}

/// <summary>The visitor's channel is an enabled web chat that allows the calling page.</summary>
public sealed class AllowedPageRequirement : IAuthorizationRequirement;

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
