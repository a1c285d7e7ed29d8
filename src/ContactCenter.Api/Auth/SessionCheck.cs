using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace ContactCenter.Api.Auth;

/// <summary>
/// A valid signature is not enough: the token's user must exist, be active, and still have the security stamp the
/// token was issued with (deactivation, role and password changes and "sign out everywhere" bump it).
/// </summary>
public static class SessionCheck
{
    public const string StampClaim = "stamp";

    public static async Task ValidateAsync(TokenValidatedContext context)
    {
        var principal = context.Principal;
        if (principal is null || !TryRead(principal, out var userId, out var stamp))
        {
            context.Fail("The token does not name a user.");
            return;
        }
        var stamps = context.HttpContext.RequestServices.GetRequiredService<SessionStamps>();
        if (!await stamps.IsCurrentAsync(userId, stamp, context.HttpContext.RequestAborted))
        {
            context.Fail("The token was revoked.");
            return;
        }
        if (context.HttpContext.Request.Path.StartsWithSegments("/hubs"))
        {
            // A hub connection keeps its principal for as long as it stays open (days): a plain identity with the claims
            // the app reads, instead of the token handler's, which also holds the parsed token.
            context.Principal = Compact(principal);
        }
    }

    private static ClaimsPrincipal Compact(ClaimsPrincipal principal) => new(new HubIdentity(
        principal.FindFirstValue("sub"), principal.FindFirstValue("name"), principal.FindFirstValue("email"),
        principal.FindFirstValue("role"), principal.FindFirstValue(StampClaim),
        principal.Identity?.AuthenticationType ?? JwtBearerDefaults.AuthenticationScheme));

    /// <summary>
    /// The five claims the app reads (one of each, as the app's tokens carry them), kept as five strings: a <see cref="Claim"/> is made when one is read (the hub reads
    /// them once per call). A ClaimsIdentity that stores them costs about 600 bytes more per connection (five Claim objects,
    /// their list, their type names copied out of each token); every reader (FindFirst, IsInRole, Name, HasClaim) goes
    /// through <see cref="Claims"/>, and a copy (<see cref="Clone"/>) stays compact.
    /// </summary>
    private sealed class HubIdentity(string? sub, string? name, string? email, string? role, string? stamp, string authenticationType)
        : ClaimsIdentity(authenticationType, "name", "role")
    {
        public override IEnumerable<Claim> Claims
        {
            get
            {
                foreach (var (type, value) in new[] { ("sub", sub), ("name", name), ("email", email), ("role", role), (StampClaim, stamp) })
                {
                    if (value is not null)
                    {
                        yield return new Claim(type, value, ClaimValueTypes.String, DefaultIssuer, DefaultIssuer, this);
                    }
                }
                foreach (var added in base.Claims)
                {
                    yield return added;
                }
            }
        }

        public override ClaimsIdentity Clone()
        {
            var copy = new HubIdentity(sub, name, email, role, stamp, AuthenticationType ?? JwtBearerDefaults.AuthenticationScheme);
            foreach (var added in base.Claims)
            {
                copy.AddClaim(added.Clone(copy));
            }
            return copy;
        }
    }

    /// <summary>Reads the subject and stamp claims; false when either is missing or not a positive number.</summary>
    public static bool TryRead(ClaimsPrincipal principal, out long userId, out long stamp)
    {
        stamp = 0;
        return long.TryParse(principal.FindFirstValue("sub"), NumberStyles.None, CultureInfo.InvariantCulture, out userId) && userId > 0
            && long.TryParse(principal.FindFirstValue(StampClaim), NumberStyles.None, CultureInfo.InvariantCulture, out stamp) && stamp > 0;
    }
}
