using System.Globalization;
using System.Security.Claims;

namespace ContactCenter.Api.Auth;

/// <summary>The caller, read from the token's claims.</summary>
public sealed record CurrentUser(long Id, string Name, string Role)
{
    public bool IsStaff => Role is Roles.Admin or Roles.Supervisor;

    public bool IsAdmin => Role == Roles.Admin;

    public static CurrentUser From(ClaimsPrincipal principal) => new(
        long.Parse(principal.FindFirstValue("sub") ?? throw new InvalidOperationException("No subject claim."), CultureInfo.InvariantCulture),
        principal.FindFirstValue("name") ?? "",
        principal.FindFirstValue("role") ?? "");
}
