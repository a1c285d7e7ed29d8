using ContactCenter.Core;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// The one place where every connector's input is cut to size before it is stored: the same numbers for the api,
/// Telegram, SMS, email and web chat, so no channel can plant a million-character name in every list page. Text is
/// trimmed of surrounding white space and cut (never refused: a provider would redeliver a refused message forever).
/// The REST bodies that take the same kinds of text use the same numbers (and answer 400 above them).
/// </summary>
public static partial class InboundLimits
{
    /// <summary>Contact display names, usernames, user and channel names.</summary>
    public const int Name = 200;

    /// <summary>Addresses and provider ids (emails are at most 254; anything longer is not an id).</summary>
    public const int Identifier = 500;

    /// <summary>Subjects and lead/deal/activity titles.</summary>
    public const int Subject = 500;

    /// <summary>Message text (the providers' own limits are far lower, except email).</summary>
    public const int Text = 200_000;

    /// <summary>Email HTML, kept for display.</summary>
    public const int Html = 2_000_000;

    /// <summary>Comments and notes typed by users.</summary>
    public const int Comment = 20_000;

    public const int MetadataEntries = 50;
    public const int MetadataKey = 100;
    public const int MetadataValue = 8_000;
    public const int FileName = 255;
    public const int ContentType = 255;

    /// <summary>Applies every limit to a message (called once, at the start of the inbound pipeline).</summary>
    public static InboundMessage Apply(InboundMessage m) => m with
    {
        ExternalId = Cut(m.ExternalId, Identifier)!,
        ThreadKey = Cut(m.ThreadKey, Identifier),
        Sender = m.Sender with
        {
            Address = Cut(m.Sender.Address, Identifier)!,
            DisplayName = Trimmed(OneLine(m.Sender.DisplayName), Name),
            Email = Cut(m.Sender.Email, Identifier),
            Phone = Cut(m.Sender.Phone, Identifier),
            Username = Trimmed(OneLine(m.Sender.Username), Name),
        },
        Text = Cut(m.Text, Text),
        Html = Cut(m.Html, Html),
        Attachments = m.Attachments.Select(a => a with
        {
            FileName = Trimmed(a.FileName, FileName) ?? "file",
            ContentType = Trimmed(a.ContentType, ContentType),
            ExternalRef = Cut(a.ExternalRef, Identifier * 4),
        }).ToList(),
        ReplyToExternalId = Cut(m.ReplyToExternalId, Identifier),
        Source = Trimmed(m.Source, Name),
        Metadata = m.Metadata?.Take(MetadataEntries).ToDictionary(
            p => Cut(p.Key, MetadataKey)!,
            // The email's full text before quote trimming is message text, not a label.
            p => (p.Key == "subject" ? Trimmed(p.Value, Subject) : Cut(p.Value, p.Key == "fullText" ? Text : MetadataValue)) ?? ""),
    };

    /// <summary>Cuts to <paramref name="max"/> characters without splitting a surrogate pair.</summary>
    public static string? Cut(string? value, int max)
    {
        if (value is null || value.Length <= max)
        {
            return value;
        }
        var end = char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        return value[..end];
    }

    /// <summary>
    /// A name as one line of plain text: control characters (line breaks, ESC colour codes, BEL) become spaces and
    /// bidirectional overrides (U+202E made "gnp.exe" read "exe.png") are dropped. Names are labels; message text keeps its lines.
    /// </summary>
    public static string? OneLine(string? value) =>
        value is null ? null : NotInLabels().Replace(value, m => m.Groups[1].Success ? " " : "");

    [System.Text.RegularExpressions.GeneratedRegex(@"(\p{Cc}+)|[\u202A-\u202E\u2066-\u2069]")]
    private static partial System.Text.RegularExpressions.Regex NotInLabels();

    /// <summary>Trimmed and cut; white space only becomes null (an empty name is no name).</summary>
    public static string? Trimmed(string? value, int max) =>
        Cut(value?.Trim(), max) is { Length: > 0 } text ? text.TrimEnd() : null;
}
