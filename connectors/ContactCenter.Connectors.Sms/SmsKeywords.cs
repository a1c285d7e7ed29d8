namespace ContactCenter.Connectors.Sms;

/// <summary>
/// The carrier-standard keywords Twilio itself honours on long codes, and their Russian counterparts (which Twilio does
/// not know, so only this app honours them): a message that is only the keyword.
/// </summary>
public static class SmsKeywords
{
    public enum Kind { None, OptOut, OptIn, Help }

    private static readonly Dictionary<string, Kind> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["STOP"] = Kind.OptOut, ["STOPALL"] = Kind.OptOut, ["UNSUBSCRIBE"] = Kind.OptOut,
        ["CANCEL"] = Kind.OptOut, ["END"] = Kind.OptOut, ["QUIT"] = Kind.OptOut,
        ["START"] = Kind.OptIn, ["YES"] = Kind.OptIn, ["UNSTOP"] = Kind.OptIn,
        ["HELP"] = Kind.Help, ["INFO"] = Kind.Help,
        ["СТОП"] = Kind.OptOut, ["ОТПИСАТЬСЯ"] = Kind.OptOut, ["ОТПИСКА"] = Kind.OptOut, ["ХВАТИТ"] = Kind.OptOut,
        ["СТАРТ"] = Kind.OptIn, ["ПОДПИСАТЬСЯ"] = Kind.OptIn,
    };

    /// <summary>The keyword (upper case) and its kind; "Stop." and " stop " count, "stop sending me ads" does not.</summary>
    public static (string? Keyword, Kind Kind) Detect(string? body)
    {
        var word = body?.Trim().TrimEnd('.', '!').Trim();
        return word is not null && Words.TryGetValue(word, out var kind) ? (word.ToUpperInvariant(), kind) : (null, Kind.None);
    }
}
