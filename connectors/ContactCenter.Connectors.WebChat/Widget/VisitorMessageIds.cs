namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// A visitor's message is stored once per (visitor, client message id), under the external id
/// `{visitorKey}/{escaped clientMessageId}`. Visitor keys may hold a `/` (a signed-in visitor's key ends with the site's
/// identifier, e.g. `user:7:carol/x@example.com`), so the client's id is percent-escaped (it then holds no `/`): the last
/// `/` splits every external id one way only. Unescaped, `carol` sending `x@example.com/1` made the same external id as
/// `carol/x@example.com` sending `1`, and was answered with that visitor's message as a "repeat".
/// </summary>
public static class VisitorMessageIds
{
    /// <summary>1 to 100 characters without control characters (ids are compared: a NUL or a line break in one is a mistake).</summary>
    public static bool IsValid(string clientMessageId) => clientMessageId.Length is > 0 and <= 100 && !clientMessageId.Any(char.IsControl);

    public static string ExternalId(Visitor visitor, string clientMessageId) => visitor.Key + "/" + Uri.EscapeDataString(clientMessageId);

    /// <summary>The client's id back from the part of an external id after the visitor's key and `/`.</summary>
    public static string ClientMessageId(string escaped) => Uri.UnescapeDataString(escaped);
}
