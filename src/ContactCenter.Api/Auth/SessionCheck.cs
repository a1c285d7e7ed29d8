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

    private static readonly string[] KeptClaims = ["sub", "name", "email", "role", StampClaim];

    private static ClaimsPrincipal Compact(ClaimsPrincipal principal)
    {
        var identity = principal.Identity as ClaimsIdentity;
        return new ClaimsPrincipal(new ClaimsIdentity(
            principal.Claims.Where(c => KeptClaims.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)),
            identity?.AuthenticationType ?? JwtBearerDefaults.AuthenticationScheme, "name", "role"));
    }

    /// <summary>Reads the subject and stamp claims; false when either is missing or not a positive number.</summary>
    public static bool TryRead(ClaimsPrincipal principal, out long userId, out long stamp)
    {
        stamp = 0;
        return long.TryParse(principal.FindFirstValue("sub"), NumberStyles.None, CultureInfo.InvariantCulture, out userId) && userId > 0
            && long.TryParse(principal.FindFirstValue(StampClaim), NumberStyles.None, CultureInfo.InvariantCulture, out stamp) && stamp > 0;
    }
}
