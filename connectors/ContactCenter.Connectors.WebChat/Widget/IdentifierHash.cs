using System.Security.Cryptography;
using System.Text;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// Verified visitor identity: the site computes `identifierHash` = hex HMAC-SHA256(channel secret, identifier)
/// on its server and passes both to the widget; a visitor cannot claim someone else's identifier without it.
/// </summary>
public static class IdentifierHash
{
    public static string Compute(string secret, string identifier) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(identifier)));

    public static bool Verify(string? secret, string identifier, string? hash)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(hash) || hash.Length != 64)
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Convert.FromHexString(hash);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(identifier)));
    }
}
