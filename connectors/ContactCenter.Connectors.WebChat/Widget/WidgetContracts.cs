using System.Text.Json.Serialization;
using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>A message as the visitor sees it: no internal ids of people, no notes.</summary>
public sealed record WidgetMessage(long Id, long ConversationId, string Direction, string Text, WidgetSender Sender, DateTimeOffset CreatedAt)
{
    /// <summary>For the visitor's own messages: the id their widget gave it (to match its optimistic copy).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientMessageId { get; init; }

    /// <summary>Files of the message; `url` is fetched with the visitor token (`GET /api/widget/attachments/{id}`).</summary>
    public IReadOnlyList<WidgetAttachment> Attachments { get; init; } = [];

    /// <summary>A satisfaction survey: rate it with `POST /api/widget/csat {surveyId, rating}`; Rating once answered.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WidgetCsat? Csat { get; init; }
}

public sealed record WidgetCsat(long SurveyId, int? Rating);

public sealed record WidgetAttachment(long Id, string FileName, string ContentType, long? Size, string Url);

/// <param name="Type">`contact` (the visitor), `user` (a manager) or `system`.</param>
public sealed record WidgetSender(string Type, string Name);

public sealed record WidgetPage(IReadOnlyList<WidgetMessage> Items, string? NextCursor)
{
    /// <summary>The visitor's messages up to this id have been read by a manager (null: none yet).</summary>
    public long? ReadUpTo { get; init; }
}

public sealed record WidgetTyping(string Name);

/// <summary>A manager read the conversation: the visitor's messages up to <paramref name="UpToMessageId"/> show "read".</summary>
public sealed record WidgetRead(long UpToMessageId);

/// <summary>Server-to-visitor events of `/hubs/widget`; the names are wire names, hence camelCase.</summary>
#pragma warning disable IDE1006 // Naming: these are wire names.
public interface IWidgetClient
{
    Task messageCreated(WidgetMessage message);

    Task typing(WidgetTyping typing);

    Task read(WidgetRead read);
}
#pragma warning restore IDE1006

public static class WidgetGroups
{
    /// <summary>Every open widget (tab, device) of one visitor.</summary>
    public static string Visitor(Visitor visitor) => $"widget:{visitor.ChannelId}:{visitor.Key}";
}

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
