using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Auth;

public static class AuthApi
{
    public sealed record LoginRequest(string? Email, string? Password);

    public sealed record UserDto(long Id, string Name, string Email, string Role);

    public sealed record LoginResponse(string AccessToken, DateTimeOffset ExpiresAt, UserDto User);

    private sealed record UserRow(long Id, string Name, string Email, string Role, string PasswordHash);

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/login", Login).AllowAnonymous().RequireRateLimiting("login");
        app.MapGet("/api/auth/me", Me).RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> Login(
        LoginRequest request, NpgsqlDataSource db, PasswordHashing hashing, TokenIssuer tokens, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password) || request.Email.Contains('\0') || request.Email.Length > 320)
        {
            return TypedResults.Problem("Email and password are required.", statusCode: StatusCodes.Status401Unauthorized);
        }
        const string sql = """
            select id, name, email, role, password_hash from users where lower(email) = lower(@email) and is_active
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(sql, new { email = request.Email.Trim() }, cancellationToken: ct));
        if (!hashing.Verify(user?.PasswordHash, request.Password) || user is null)
        {
            return TypedResults.Problem("The email or password is wrong.", statusCode: StatusCodes.Status401Unauthorized);
        }
        var (token, expiresAt) = tokens.Issue(user.Id, user.Name, user.Email, user.Role);
        return TypedResults.Ok(new LoginResponse(token, expiresAt, new UserDto(user.Id, user.Name, user.Email, user.Role)));
    }

    private static Ok<UserDto> Me(System.Security.Claims.ClaimsPrincipal principal)
    {
        var me = CurrentUser.From(principal);
        return TypedResults.Ok(new UserDto(me.Id, me.Name, principal.FindFirst("email")?.Value ?? "", me.Role));
    }
}
