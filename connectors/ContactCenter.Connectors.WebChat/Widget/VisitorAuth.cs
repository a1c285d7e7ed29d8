using System.Globalization;
using System.Security.Claims;

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
