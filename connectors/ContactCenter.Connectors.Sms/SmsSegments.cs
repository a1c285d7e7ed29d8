namespace ContactCenter.Connectors.Sms;

/// <summary>How many SMS parts a text costs: GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2.</summary>
public static class SmsSegments
{
    public const string Gsm7 = "GSM-7";
    public const string Ucs2 = "UCS-2";

    /// <param name="Encoding">GSM-7 or UCS-2.</param>
    /// <param name="Characters">Characters as a person counts them (Unicode code points).</param>
    /// <param name="Segments">SMS parts the text is split into (0 for an empty text).</param>
    /// <param name="Units">Septets (GSM-7, extension characters take two) or UTF-16 code units (UCS-2, an emoji takes two).</param>
    /// <param name="UnitsPerSegment">160/153 septets or 70/67 code units: a multi-part message loses room to its header.</param>
    public sealed record Count(string Encoding, int Characters, int Segments, int Units, int UnitsPerSegment);

    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static Count Of(string text)
    {
        var characters = text.EnumerateRunes().Count();
        if (text.All(c => BasicSet.Contains(c) || ExtensionSet.Contains(c)))
        {
            var costs = text.Select(c => ExtensionSet.Contains(c) ? 2 : 1).ToList();
            return Split(Gsm7, characters, costs, single: 160, multi: 153);
        }
        // UCS-2 as carriers count it: UTF-16 code units; a surrogate pair (emoji) is never split between parts.
        var units = text.EnumerateRunes().Select(r => r.Utf16SequenceLength).ToList();
        return Split(Ucs2, characters, units, single: 70, multi: 67);
    }

    private static Count Split(string encoding, int characters, List<int> costs, int single, int multi)
    {
        var total = costs.Sum();
        if (total <= single)
        {
            return new Count(encoding, characters, total == 0 ? 0 : 1, total, single);
        }
        int segments = 1, used = 0;
        foreach (var cost in costs)
        {
            if (used + cost > multi)
            {
                segments++;
                used = 0;
            }
            used += cost;
        }
        return new Count(encoding, characters, segments, total, multi);
    }
}
