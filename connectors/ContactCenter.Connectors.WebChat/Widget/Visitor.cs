
namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>A widget visitor: `Key` is their contact address on the webchat kind and their conversation's thread key.</summary>
public sealed record Visitor(long ChannelId, string Key)
{
    /// <summary>
    /// True when the site vouches for this email: it signed it as the visitor's identifier (identifierHash). That is the
    /// only proof a widget has; an email typed in the panel, or passed beside another identifier, is the visitor's word.
    /// </summary>
    public bool Vouches(string? email) =>
        email is not null && Key.StartsWith($"user:{ChannelId}:", StringComparison.Ordinal)
        && string.Equals(Key[$"user:{ChannelId}:".Length..], email, StringComparison.OrdinalIgnoreCase);
}
