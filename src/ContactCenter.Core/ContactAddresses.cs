using System.Net.Mail;
using System.Text;

namespace ContactCenter.Core;

/// <summary>What counts as an email address or a phone number typed by a person (a visitor, an integrator's system).</summary>
public static class ContactAddresses
{
    /// <summary>The longest address a mail server accepts in a path (RFC 5321: 256 with the angle brackets).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>
    /// One rule for every place a person or a system types an address (contacts, the widget, forms, imports, the api channel):
    /// what MailAddress reads back unchanged, with a domain a mail server would look up: dotted names of letters, digits and
    /// hyphens (any script), no empty label, no trailing dot, no IP literal (`a@[127.0.0.1]`).
    /// </summary>
    public static bool IsEmail(string value) =>
        value.Length <= MaxEmailLength && !value.Any(char.IsWhiteSpace) && value.IndexOf('@', StringComparison.Ordinal) > 0
        && MailAddress.TryCreate(value, out var address) && address.Address == value && IsMailDomain(address.Host);

    private static bool IsMailDomain(string host)
    {
        var labels = host.Split('.');
        return labels.Length >= 2 && labels.All(l => l.Length is > 0 and <= 63 && !l.StartsWith('-') && !l.EndsWith('-')
            && l.All(c => char.IsLetterOrDigit(c) || c == '-'))
            && !labels[^1].All(char.IsAsciiDigit);
    }

    /// <summary>`+1 (415) 555-0100` -> `+14155550100`; null when it is not a phone number (7 to 15 digits).</summary>
    public static string? NormalizePhone(string value)
    {
        if (value.Length > 30 || value.Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.' or '+')) || value.LastIndexOf('+') > 0)
        {
            return null;
        }
        var digits = new StringBuilder(value.StartsWith('+') ? "+" : "");
        foreach (var c in value.Where(char.IsAsciiDigit))
        {
            digits.Append(c);
        }
        var count = digits.Length - (digits.Length > 0 && digits[0] == '+' ? 1 : 0);
        return count is >= 7 and <= 15 ? digits.ToString() : null;
    }
}
