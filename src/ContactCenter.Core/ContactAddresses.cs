using System.Net.Mail;
using System.Text;

namespace ContactCenter.Core;

/// <summary>What counts as an email address or a phone number typed by a person (a visitor, an integrator's system).</summary>
public static class ContactAddresses
{
    public const int MaxEmailLength = 320;

    public static bool IsEmail(string value) =>
        value.Length <= MaxEmailLength && MailAddress.TryCreate(value, out var address) && address.Address == value
        && address.Host.Contains('.', StringComparison.Ordinal) && !value.Any(char.IsWhiteSpace);

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
