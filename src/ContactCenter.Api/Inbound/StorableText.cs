using ContactCenter.Core;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// PostgreSQL text cannot hold NUL (U+0000), not even escaped inside jsonb. Customers' messages are kept with
/// NULs removed rather than refused, so a provider's retry loop never meets a message that can never be stored.
/// </summary>
public static class StorableText
{
    public static string? Clean(string? value) =>
        value is null || !value.Contains('\0') ? value : value.Replace("\0", "", StringComparison.Ordinal);

    /// <summary>Raw JSON keeps its text but loses NUL characters and their \u0000 escapes.</summary>
    public static string CleanJson(string raw) =>
        Clean(raw)!.Replace("\\u0000", "", StringComparison.OrdinalIgnoreCase);

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
