using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// Where every visitor call but the session starts: the visitor token (401 without a valid one), its channel (404/403
/// like a session), then one hit on the visitor's rate limit (429 with Retry-After once spent).
/// </summary>
public sealed class WidgetGate(IChannelDirectory channels, VisitorTokens tokens, SiteRateLimiter limiter, IOptions<WebChatOptions> options)
{
    /// <summary>Which of the visitor's rate limits a call spends.</summary>
    public enum Budget
    {
        /// <summary>The visitor's writes.</summary>
        Writes,

        /// <summary>The visitor's writes and their IP's: what adds to a conversation.</summary>
        WritesAndIp,

        /// <summary>The visitor's reads (four times their writes).</summary>
        Reads,
    }

    /// <returns>The visitor and their channel, or (null, null, why not) when the call is refused.</returns>
    public async Task<(Visitor? Visitor, ChannelInfo? Channel, ProblemHttpResult? Refused)> AdmitAsync(HttpContext http, Budget budget, CancellationToken ct)
    {
        var visitor = tokens.FromRequest(http.Request);
        if (visitor is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return (null, null, TypedResults.Problem("A valid visitor token is required (Authorization: Bearer <visitorToken>); start a session first.",
                statusCode: StatusCodes.Status401Unauthorized));
        }
        var channel = await channels.FindAsync(visitor.ChannelId, ct);
        if (WidgetChannels.Check(channel, http.Request, ChannelKinds.Webchat) is { } refused)
        {
            return (null, null, refused);
        }
        var limits = options.Value;
        var wait = budget switch
        {
            Budget.WritesAndIp => await limiter.HitAsync(("msg-visitor", visitor.Key, limits.MessagesPerVisitor), ("msg-ip", SiteRateLimiter.ClientIp(http), limits.MessagesPerIp)),
            Budget.Reads => await limiter.HitAsync(("read-visitor", visitor.Key, limits.MessagesPerVisitor * 4)),
            _ => await limiter.HitAsync(("msg-visitor", visitor.Key, limits.MessagesPerVisitor)),
        };
        return wait is { } w ? (null, null, SiteRateLimiter.TooMany(http, w)) : (visitor, channel, null);
    }
}
