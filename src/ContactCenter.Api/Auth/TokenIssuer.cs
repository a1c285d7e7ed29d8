using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Api.Auth;

public sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider clock)
{
    /// <param name="securityStamp">The user's stamp now; the token stops working when it changes (0 never matches).</param>
    public (string Token, DateTimeOffset ExpiresAt) Issue(long userId, string name, string email, string role, long securityStamp = 0)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var expires = now.Add(o.TokenLifetime);
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(o.JwtKey)), SecurityAlgorithms.HmacSha256);
        var token = new JwtSecurityToken(
            issuer: o.Issuer,
            audience: o.Issuer,
            claims:
            [
                new Claim("sub", userId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim("name", name),
                new Claim("email", email),
                new Claim("role", role),
                new Claim(SessionCheck.StampClaim, securityStamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            notBefore: now.UtcDateTime,
            expires: expires.UtcDateTime,
            signingCredentials: credentials);
        return (new JwtSecurityTokenHandler().WriteToken(token), expires);
    }
}
