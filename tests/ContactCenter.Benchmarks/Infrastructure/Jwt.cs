using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>
/// Mints the app's access tokens (HS256, issuer/audience "contactcenter", claims sub/name/email/role/stamp) with the
/// key ./bench.sh gives the app, so that thousands of benchmark users need no password hashing or login.
/// </summary>
public static class Jwt
{
    public static string Mint(string key, long userId, string name, string email, string role, string issuer = "contactcenter")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = userId.ToString(CultureInfo.InvariantCulture),
            ["name"] = name,
            ["email"] = email,
            ["role"] = role,
            // The user's security stamp: users the benchmark writes directly start at the column's default, 1.
            ["stamp"] = "1",
            ["iss"] = issuer,
            ["aud"] = issuer,
            ["nbf"] = now - 60,
            ["iat"] = now - 60,
            ["exp"] = now + 12 * 3600,
        }));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
