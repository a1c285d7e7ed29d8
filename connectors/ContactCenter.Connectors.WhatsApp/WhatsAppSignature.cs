using System.Security.Cryptography;
using System.Text;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>Meta signs every webhook POST: `X-Hub-Signature-256: sha256=` + hex HMAC-SHA256 of the raw body with the app secret.</summary>
public static class WhatsAppSignature
{
    public const string Header = "X-Hub-Signature-256";

    public static string Compute(string appSecret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>Constant time over the bytes; a missing secret or header never matches.</summary>
    public static bool IsValid(string appSecret, byte[] body, string? header)
    {
        if (string.IsNullOrEmpty(appSecret) || string.IsNullOrEmpty(header) || !header.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Compute(appSecret, body)[7..]);
        var given = Encoding.ASCII.GetBytes(header[7..].Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The verify token of the subscription handshake, compared in constant time (both sides hashed first).</summary>
    public static bool TokenMatches(string? expected, string? given) =>
        !string.IsNullOrEmpty(expected) && !string.IsNullOrEmpty(given) && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(given)));
}
