using System.Globalization;
using System.Security.Claims;
using ContactCenter.Api.Features.Audit;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Auth;

public static class AuthApi
{
    public sealed record LoginRequest(string? Email, string? Password);

    public sealed record UserDto(long Id, string Name, string Email, string Role);

    public sealed record LoginResponse(string AccessToken, DateTimeOffset ExpiresAt, UserDto User);

    public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

    private sealed record UserRow(long Id, string Name, string Email, string Role, string PasswordHash, long SecurityStamp);

    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;

    private const string WrongCredentials = "The email or password is wrong.";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/login", Login).AllowAnonymous().RequireRateLimiting("login");
        app.MapGet("/api/auth/me", Me).RequireAuthorization();
        app.MapPost("/api/auth/password", ChangePassword).RequireAuthorization().RequireRateLimiting("login");
        app.MapPost("/api/auth/logout-all", LogoutAll).RequireAuthorization();
        return app;
    }

    /// <summary>
    /// Every refusal for a known email is also given, identically, for an unknown one: the same 401 for a wrong pair
    /// (after a real hash check either way), the same 429 once the email is locked.
    /// </summary>
    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> Login(
        LoginRequest request, NpgsqlDataSource db, PasswordHashing hashing, TokenIssuer tokens, LoginThrottle throttle, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password) || request.Email.Contains('\0') || request.Email.Length > 320)
        {
            return TypedResults.Problem("Email and password are required.", statusCode: StatusCodes.Status401Unauthorized);
        }
        var key = LoginThrottle.KeyOf(request.Email);
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await LoginThrottle.LockedForAsync(connection, key, ct) is { } lockedFor)
        {
            return Locked(http, lockedFor);
        }
        const string sql = """
            select id, name, email, role, password_hash, security_stamp from users where lower(email) = lower(@key) and is_active
            """;
        var user = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(sql, new { key }, cancellationToken: ct));
        if (!hashing.Verify(user?.PasswordHash, request.Password) || user is null)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var failure = await throttle.RecordFailureAsync(connection, tx, key, ct);
            var attempt = new { email = key, failures = failure.Failures };
            await AuditLog.WriteAsync(connection, tx, new AuditEntry(null, "login.failed", "login", null, After: attempt), ct);
            if (failure.JustLocked)
            {
                await AuditLog.WriteAsync(connection, tx, new AuditEntry(null, "login.locked", "login", null, After: attempt), ct);
            }
            await tx.CommitAsync(ct);
            return TypedResults.Problem(WrongCredentials, statusCode: StatusCodes.Status401Unauthorized);
        }
        await LoginThrottle.ResetAsync(connection, key, ct);
        var (token, expiresAt) = tokens.Issue(user.Id, user.Name, user.Email, user.Role, user.SecurityStamp);
        return TypedResults.Ok(new LoginResponse(token, expiresAt, new UserDto(user.Id, user.Name, user.Email, user.Role)));
    }

    private static ProblemHttpResult Locked(HttpContext http, TimeSpan lockedFor)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(lockedFor.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem("Too many failed sign-ins for this email; retry later.", statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static Ok<UserDto> Me(ClaimsPrincipal principal)
    {
        var me = CurrentUser.From(principal);
        return TypedResults.Ok(new UserDto(me.Id, me.Name, principal.FindFirst("email")?.Value ?? "", me.Role));
    }

    /// <summary>
    /// Changes the caller's own password and revokes every token of theirs, the one used here included: the caller
    /// signs in again with the new password (the answer is 204, no token).
    /// </summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, ClaimsPrincipal principal, NpgsqlDataSource db, PasswordHashing hashing, SessionRevocations revocations, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var errors = new Validation();
        errors.Require("currentPassword", !string.IsNullOrEmpty(request.CurrentPassword), "The current password is required.");
        ValidatePassword(errors, "newPassword", request.NewPassword);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var hash = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select password_hash from users where id = @id and is_active for update", new { id = me.Id }, tx, cancellationToken: ct));
        if (!hashing.Verify(hash, request.CurrentPassword!))
        {
            return Problems.BadRequest("The current password is wrong.");
        }
        await SetPasswordAsync(connection, tx, me.Id, hashing.Hash(request.NewPassword!), ct);
        await AuditLog.WriteAsync(connection, tx, new AuditEntry(me.Id, "user.password-changed", "user", Id(me.Id)), ct);
        await tx.CommitAsync(ct);
        await revocations.RevokeAsync(me.Id, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Signs the caller out on every device: all their tokens, the one used here included, stop working.</summary>
    private static async Task<NoContent> LogoutAll(ClaimsPrincipal principal, NpgsqlDataSource db, SessionRevocations revocations, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await SessionStamps.BumpAsync(connection, tx, me.Id, ct);
        await AuditLog.WriteAsync(connection, tx, new AuditEntry(me.Id, "user.logout-all", "user", Id(me.Id)), ct);
        await tx.CommitAsync(ct);
        await revocations.RevokeAsync(me.Id, ct);
        return TypedResults.NoContent();
    }

    public static void ValidatePassword(Validation errors, string field, string? password) =>
        errors.Require(field, password is { Length: >= MinPasswordLength and <= MaxPasswordLength },
            $"The password needs {MinPasswordLength} to {MaxPasswordLength} characters.");

    /// <summary>Stores a new hash and revokes the user's tokens, in the caller's transaction.</summary>
    public static async Task SetPasswordAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long userId, string hash, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "update users set password_hash = @hash where id = @userId", new { userId, hash }, tx, cancellationToken: ct));
        await SessionStamps.BumpAsync(connection, tx, userId, ct);
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
