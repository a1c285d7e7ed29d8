namespace ContactCenter.Connectors.WhatsApp;

/// <summary>
/// Opt-out and opt-in keywords (English and Russian): a message that is only the keyword, like SMS's STOP/START.
/// Meta does not act on them for the business, so we do: an opted-out customer is not messaged until they opt in.
/// </summary>
public static class WhatsAppKeywords
{
    public enum Kind { None, OptOut, OptIn }

    private static readonly Dictionary<string, Kind> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["STOP"] = Kind.OptOut, ["STOPALL"] = Kind.OptOut, ["UNSUBSCRIBE"] = Kind.OptOut, ["CANCEL"] = Kind.OptOut, ["QUIT"] = Kind.OptOut,
        ["СТОП"] = Kind.OptOut, ["ОТПИСАТЬСЯ"] = Kind.OptOut, ["ОТПИСКА"] = Kind.OptOut, ["ХВАТИТ"] = Kind.OptOut,
        ["START"] = Kind.OptIn, ["UNSTOP"] = Kind.OptIn, ["SUBSCRIBE"] = Kind.OptIn,
        ["СТАРТ"] = Kind.OptIn, ["ПОДПИСАТЬСЯ"] = Kind.OptIn,
    };

    /// <summary>The keyword (upper case) and its kind; "Stop." and " стоп " count, "stop sending me ads" does not.</summary>
    public static (string? Keyword, Kind Kind) Detect(string? text)
    {
        var word = text?.Trim().TrimEnd('.', '!').Trim();
        return word is not null && Words.TryGetValue(word, out var kind) ? (word.ToUpperInvariant(), kind) : (null, Kind.None);
    }
}
