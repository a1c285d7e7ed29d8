using System.Xml.Linq;

namespace ContactCenter.Connectors.Voice;

/// <summary>TwiML documents the voice webhooks answer with (built as XML, so numbers and URLs are always escaped).</summary>
public static class Twiml
{
    public const string ContentType = "text/xml";

    /// <summary>One manager to ring: their number and the URL Twilio asks when they pick up.</summary>
    public sealed record Target(string Phone, string AnsweredUrl);

    public static string Empty() => Document();

    public static string Hangup() => Document(new XElement("Hangup"));

    /// <summary>Rings the targets (all at once, or the one given for a sequential round), recording from answer when asked.</summary>
    public static string Dial(IReadOnlyList<Target> targets, string actionUrl, string callerId, bool record, string? recordingUrl, string? notice, string language,
        int timeoutSeconds = 20)
    {
        var dial = new XElement("Dial",
            new XAttribute("action", actionUrl), new XAttribute("method", "POST"), new XAttribute("timeout", timeoutSeconds),
            new XAttribute("callerId", callerId),
            targets.Select(t => new XElement("Number", new XAttribute("url", t.AnsweredUrl), new XAttribute("method", "POST"), t.Phone)));
        if (record && recordingUrl is not null)
        {
            dial.Add(new XAttribute("record", "record-from-answer"), new XAttribute("recordingStatusCallback", recordingUrl),
                new XAttribute("recordingStatusCallbackMethod", "POST"));
        }
        return notice is null ? Document(dial) : Document(Say(notice, language), dial);
    }

    /// <summary>Nobody to take the call: a spoken message, then a voicemail recording (when recordings are on) or hang up.</summary>
    public static string Unavailable(string message, string language, string? recordingUrl, string? voicemailPrompt) => recordingUrl is null
        ? Document(Say(message, language), new XElement("Hangup"))
        : Document(Say(message + " " + voicemailPrompt, language),
            new XElement("Record", new XAttribute("maxLength", 120), new XAttribute("playBeep", "true"),
                new XAttribute("recordingStatusCallback", recordingUrl), new XAttribute("recordingStatusCallbackMethod", "POST")),
            new XElement("Hangup"));

    /// <summary>Click-to-call, second leg: the manager answered, now the contact is dialled from the channel's number.</summary>
    public static string DialContact(string to, string callerId, bool record, string? recordingUrl, string? notice, string language)
    {
        var dial = new XElement("Dial", new XAttribute("callerId", callerId), new XElement("Number", to));
        if (record && recordingUrl is not null)
        {
            dial.Add(new XAttribute("record", "record-from-answer"), new XAttribute("recordingStatusCallback", recordingUrl),
                new XAttribute("recordingStatusCallbackMethod", "POST"));
        }
        return notice is null ? Document(dial) : Document(Say(notice, language), dial);
    }

    private static XElement Say(string text, string language) =>
        new("Say", new XAttribute("language", language == "ru" ? "ru-RU" : "en-US"), text);

    private static string Document(params object[] verbs) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + new XElement("Response", verbs).ToString(SaveOptions.DisableFormatting);
}
