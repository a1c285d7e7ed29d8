using System.Text.Json.Serialization;

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
