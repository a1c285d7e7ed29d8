namespace ContactCenter.Connectors.WebChat.Widget;

public sealed record WidgetPage(IReadOnlyList<WidgetMessage> Items, string? NextCursor)
{
    /// <summary>The visitor's messages up to this id have been read by a manager (null: none yet).</summary>
    public long? ReadUpTo { get; init; }
}
