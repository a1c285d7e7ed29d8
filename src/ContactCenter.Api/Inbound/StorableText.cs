using ContactCenter.Core;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// PostgreSQL text cannot hold NUL (U+0000), not even escaped inside jsonb. Customers' messages are kept with
/// NULs removed rather than refused, so a provider's retry loop never meets a message that can never be stored.
/// </summary>
public static partial class StorableText
{
    public static string? Clean(string? value) =>
        value is null || !value.Contains('\0') ? value : value.Replace("\0", "", StringComparison.Ordinal);

    /// <summary>
    /// Raw JSON keeps its text but loses NUL characters and their \u0000 escapes — only escapes: the text `\\u0000` (an
    /// escaped backslash, then "u0000", what a customer typing those six characters sends) stays, or the JSON would break.
    /// </summary>
    public static string CleanJson(string raw) => NulEscape().Replace(Clean(raw)!, "$1");

    // \u0000 after an even number of backslashes (none, or escaped ones): the escape of a NUL.
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u0000", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex NulEscape();

    public static InboundMessage Clean(InboundMessage m) => m with
    {
        ExternalId = Clean(m.ExternalId)!,
        ThreadKey = Clean(m.ThreadKey),
        Sender = m.Sender with
        {
            Address = Clean(m.Sender.Address)!,
            DisplayName = Clean(m.Sender.DisplayName),
            Email = Clean(m.Sender.Email),
            Phone = Clean(m.Sender.Phone),
            Username = Clean(m.Sender.Username),
        },
        Text = Clean(m.Text),
        Html = Clean(m.Html),
        Attachments = m.Attachments.Select(a => a with { FileName = Clean(a.FileName)!, ContentType = Clean(a.ContentType), ExternalRef = Clean(a.ExternalRef) }).ToList(),
        ReplyToExternalId = Clean(m.ReplyToExternalId),
        RawPayload = CleanJson(m.RawPayload),
        Source = Clean(m.Source),
        Metadata = m.Metadata?.ToDictionary(p => Clean(p.Key)!, p => Clean(p.Value)!),
    };
}
