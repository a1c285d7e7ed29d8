namespace ContactCenter.Connectors.WebChat.Widget;

public sealed record WidgetAttachment(long Id, string FileName, string ContentType, long? Size, string Url);
