using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// Signed, stateless visitor credentials (HMAC-SHA256 with a server key shared by all nodes):
/// a short-lived `visitorToken` for the widget API and hub, and a long-lived `visitorId` that only
/// the session call accepts, so a returning visitor continues their conversation.
/// </summary>
public sealed class VisitorTokens
{
    private const string TokenPrefix = "wv1";
    private const string IdPrefix = "wvid1";

    private readonly byte[] key;
    private readonly TimeSpan lifetime;
    private readonly TimeProvider clock;

    private sealed record Payload(long C, string K, long? E);

    public VisitorTokens(IOptions<WebChatOptions> options, IConfiguration configuration, TimeProvider clock)
    {
        var configured = options.Value.TokenKey;
        key = configured.Length > 0
            ? Encoding.UTF8.GetBytes(configured)
            // A separate key from the managers' JWT key, so neither kind of token can pass as the other.
            : HMACSHA256.HashData(Encoding.UTF8.GetBytes(configuration["Auth:JwtKey"] ?? ""), "contactcenter:webchat:visitor-token"u8);
        lifetime = options.Value.TokenLifetime;
        this.clock = clock;
    }

    public (string Token, DateTimeOffset ExpiresAt) IssueToken(Visitor visitor)
    {
        var expires = clock.GetUtcNow() + lifetime;
        return (Sign(TokenPrefix, new Payload(visitor.ChannelId, visitor.Key, expires.ToUnixTimeSeconds())), expires);
    }

    public string IssueVisitorId(Visitor visitor) => Sign(IdPrefix, new Payload(visitor.ChannelId, visitor.Key, null));

    public Visitor? ReadToken(string? token)
    {
        var payload = Verify(TokenPrefix, token);
        return payload?.E is { } expires && expires > clock.GetUtcNow().ToUnixTimeSeconds() ? new Visitor(payload.C, payload.K) : null;
    }

    public Visitor? ReadVisitorId(string? visitorId) => Verify(IdPrefix, visitorId) is { } p ? new Visitor(p.C, p.K) : null;

    /// <summary>The visitor of a widget API call: `Authorization: Bearer visitorToken`.</summary>
    public Visitor? FromRequest(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? ReadToken(header[7..].Trim()) : null;
    }

    private string Sign(string prefix, Payload payload)
    {
        var body = prefix + "." + WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(payload));
        return body + "." + WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body)));
    }

    private Payload? Verify(string prefix, string? value)
    {
        var parts = value?.Split('.');
        if (parts is not { Length: 3 } || parts[0] != prefix || value!.Length > 2048)
        {
            return null;
        }
        try
        {
            var given = WebEncoders.Base64UrlDecode(parts[2]);
            var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(parts[0] + "." + parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return null;
            }
            var payload = JsonSerializer.Deserialize<Payload>(WebEncoders.Base64UrlDecode(parts[1]));
            return payload is { K.Length: > 0 } ? payload : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
