namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>A manager read the conversation: the visitor's messages up to <paramref name="UpToMessageId"/> show "read".</summary>
public sealed record WidgetRead(long UpToMessageId);

/// <summary>Server-to-visitor events of `/hubs/widget`; the names are wire names, hence camelCase.</summary>
#pragma warning disable IDE1006 // Naming: these are wire names.
