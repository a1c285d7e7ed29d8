namespace ContactCenter.Connectors.WebChat.Widget;

/// <param name="Type">`contact` (the visitor), `user` (a manager) or `system`.</param>
public sealed record WidgetSender(string Type, string Name);
