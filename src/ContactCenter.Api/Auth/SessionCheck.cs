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
        var session = await stamps.GetAsync(userId, context.HttpContext.RequestAborted);
        if (session is not { IsActive: true } || session.SecurityStamp != stamp)
        {
            context.Fail("The token was revoked.");
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
