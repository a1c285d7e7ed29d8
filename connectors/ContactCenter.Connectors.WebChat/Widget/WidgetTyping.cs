namespace ContactCenter.Connectors.WebChat.Widget;

public sealed record WidgetTyping(string Name);
