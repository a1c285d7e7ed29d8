using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.Connectors.WebChat.Widget;

internal static class WidgetChannels
{
    /// <summary>The channel a widget call is for, or the problem to answer: unknown key 404, switched off 403, foreign page 403.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Check(ChannelInfo? channel, HttpRequest request, string kind)
    {
        if (channel is null || channel.Kind != kind)
        {
            return TypedResults.Problem(kind == ChannelKinds.Webform ? "There is no such form." : "There is no such chat.", statusCode: StatusCodes.Status404NotFound);
        }
        if (!channel.Enabled)
        {
            return TypedResults.Problem("This channel is switched off.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (!SiteOrigins.IsAllowed(channel, request))
        {
            return TypedResults.Problem($"The page {SiteOrigins.Of(request)} may not use this channel (not in its allowedOrigins).", statusCode: StatusCodes.Status403Forbidden);
        }
        return null;
    }
}
