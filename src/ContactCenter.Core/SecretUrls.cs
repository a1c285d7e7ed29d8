using System.Text.RegularExpressions;

namespace ContactCenter.Core;

/// <summary>
/// URLs with a credential in their path, as they may be written to logs and traces: the Telegram Bot API's
/// `/bot&lt;token&gt;/method` and `/file/bot&lt;token&gt;/path`. The query is dropped too (providers put tokens there).
/// </summary>
public static partial class SecretUrls
{
    [GeneratedRegex(@"/bot\d+:[A-Za-z0-9_-]+(?=/|$)")]
    private static partial Regex BotToken();

    public static string Redact(Uri uri)
    {
        var path = BotToken().Replace(uri.GetLeftPart(UriPartial.Path), "/bot[redacted]");
        return uri.Query.Length > 0 ? path + "?*" : path;
    }
}
