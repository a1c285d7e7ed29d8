using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContactCenter.Api.Auth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ContactCenter.Api.Features.Hours;

/// <summary>
/// The token of a public rating link (`/csat/{token}`): `{conversationId}.{surveyId}.{expiresUnix}.{signature}`, the
/// signature an HMAC-SHA256 over the first three parts with a key derived from the app's signing key. Anything tampered
/// with or past its expiry reads as null.
/// </summary>
public sealed class CsatTokens(IOptions<AuthOptions> auth, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    private readonly byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(auth.Value.JwtKey), "csat-link-v1"u8);

    public sealed record Link(long ConversationId, long SurveyId);

    public string Issue(long conversationId, long surveyId)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{conversationId}.{surveyId}.{clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds()}");
        return payload + "." + Sign(payload);
    }

    public Link? Read(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 4 } || token!.Length > 200)
        {
            return null;
        }
        var payload = string.Join('.', parts[..3]);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(payload)), Encoding.ASCII.GetBytes(parts[3]))
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var conversationId)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var surveyId)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || clock.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return null;
        }
        return new Link(conversationId, surveyId);
    }

    private string Sign(string payload) => WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)));
}
