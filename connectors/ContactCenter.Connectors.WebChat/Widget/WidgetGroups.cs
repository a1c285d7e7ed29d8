namespace ContactCenter.Connectors.WebChat.Widget;

public static class WidgetGroups
{
    /// <summary>Every open widget (tab, device) of one visitor.</summary>
    public static string Visitor(Visitor visitor) => $"widget:{visitor.ChannelId}:{visitor.Key}";
}
