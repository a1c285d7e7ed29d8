using PhoneNumbers;

namespace ContactCenter.Core;

/// <summary>E.164 (`+14155550100`) is how SMS numbers are stored and compared everywhere, so one person is one key.</summary>
public static class E164
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>An international number (leading `+` or `00`) that is valid for its country, in E.164; null otherwise.</summary>
    public static string? NormalizeValid(string? input) => Parse(input) is { } number && Util.IsValidNumber(number)
        ? Util.Format(number, PhoneNumberFormat.E164) : null;

    /// <summary>
    /// As <see cref="NormalizeValid(string?)"/>, and a number written without its country code in the national form of
    /// <paramref name="region"/> (ISO 3166 code, e.g. RU: "8 (916) 123-45-67") when one is given. For numbers a person
    /// types into this installation, whose country its configuration names; provider numbers never take a region.
    /// </summary>
    public static string? NormalizeValid(string? input, string? region)
    {
        if (NormalizeValid(input) is { } international)
        {
            return international;
        }
        if (string.IsNullOrWhiteSpace(input) || string.IsNullOrEmpty(region) || input.TrimStart().StartsWith('+'))
        {
            return null;
        }
        try
        {
            var number = Util.Parse(input.Trim(), region);
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>
    /// Looser, for numbers Twilio hands us: a number of possible length is kept even when it lies in a range
    /// the metadata does not know yet (new ranges appear before the library learns them).
    /// </summary>
    public static string? NormalizePossible(string? input) => Parse(input) is { } number && Util.IsPossibleNumber(number)
        ? Util.Format(number, PhoneNumberFormat.E164) : null;

    private static PhoneNumber? Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }
        var text = input.Trim();
        if (text.StartsWith("00", StringComparison.Ordinal))
        {
            text = "+" + text[2..];
        }
        if (!text.StartsWith('+'))
        {
            return null; // without a country there is no E.164; we never guess one
        }
        try
        {
            return Util.Parse(text, null);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
