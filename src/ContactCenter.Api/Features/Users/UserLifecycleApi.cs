using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Audit;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Users;

/// <summary>
/// Admin changes to an existing user. A deactivation or a role change bumps the user's security stamp (their tokens stop
/// working and their hub connections close on every node); a rename does not.
/// </summary>
public static class UserLifecycleApi
{
    /// <summary>A field it does not take is a 400, not ignored: `{"isActiv": false}` answered 200 and left the user active.</summary>
    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record UpdateUserRequest(string? Name, string? Role, bool? IsActive);

    public sealed record ResetPasswordRequest(string? Password);

    /// <summary>What the audit log records of a user (never the password hash).</summary>
    private sealed record UserState(string Name, string Role, bool IsActive);

    // Serialises changes that can remove an admin, so two admins cannot demote each other at once and leave none.
    private const long AdminChangeLock = 0x5553_4552_4144_4d4e;

    public static RouteGroupBuilder MapUserLifecycle(this RouteGroupBuilder group)
    {
        group.MapPatch("/{id:long}", Update).RequireAuthorization(Roles.AdminPolicy);
        group.MapPost("/{id:long}/password", ResetPassword).RequireAuthorization(Roles.AdminPolicy);
        return group;
    }

    private static async Task<Results<Ok<UsersApi.UserDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, UpdateUserRequest request, ClaimsPrincipal principal, NpgsqlDataSource db, SessionRevocations revocations, DeactivatedWork work, CancellationToken ct)
    {
        var errors = new Validation();
        errors.Require("name", request.Name is null || (!string.IsNullOrWhiteSpace(request.Name) && request.Name.Trim().Length <= 200 && !request.Name.Contains('\0')),
            "The name cannot be empty (at most 200 characters).");
        errors.Require("role", request.Role is null || Roles.IsValid(request.Role), "Role must be admin, supervisor or manager.");
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(@key)", new { key = AdminChangeLock }, tx, cancellationToken: ct));
        var before = await connection.QuerySingleOrDefaultAsync<UserState>(new CommandDefinition(
            "select name, role, is_active from users where id = @id for update", new { id }, tx, cancellationToken: ct));
        if (before is null)
        {
            return Problems.NotFound("There is no such user.");
        }
        var after = new UserState(request.Name?.Trim() ?? before.Name, request.Role ?? before.Role, request.IsActive ?? before.IsActive);
        var wasAdmin = before is { Role: Roles.Admin, IsActive: true };
        var staysAdmin = after is { Role: Roles.Admin, IsActive: true };
        if (wasAdmin && !staysAdmin && await OtherActiveAdminsAsync(connection, tx, id, ct) == 0)
        {
            return Problems.Conflict("This is the last active admin: make another user admin first.");
        }
        if (after == before)
        {
            await tx.RollbackAsync(ct);
            return TypedResults.Ok(await LoadAsync(db, id, ct));
        }
        var revoke = after.Role != before.Role || after.IsActive != before.IsActive;
        const string update = """
            update users set name = @Name, role = @Role, is_active = @IsActive,
                security_stamp = security_stamp + case when @revoke then 1 else 0 end
            where id = @id
            """;
        await connection.ExecuteAsync(new CommandDefinition(update, new { id, after.Name, after.Role, after.IsActive, revoke }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(connection, tx, new AuditEntry(CurrentUser.From(principal).Id, "user.updated", "user", AuthApi.Id(id), before, after), ct);
        await tx.CommitAsync(ct);
        if (revoke)
        {
            await revocations.RevokeAsync(id, ct);
        }
        if (before.IsActive && !after.IsActive)
        {
            await work.ReleaseAsync(CurrentUser.From(principal), id, ct);
        }
        return TypedResults.Ok(await LoadAsync(db, id, ct));
    }

    /// <summary>Sets a user's password (they forgot theirs) and revokes all their tokens.</summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResetPassword(
        long id, ResetPasswordRequest request, ClaimsPrincipal principal, NpgsqlDataSource db, PasswordHashing hashing, SessionRevocations revocations, CancellationToken ct)
    {
        var errors = new Validation();
        AuthApi.ValidatePassword(errors, "password", request.Password);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists(select 1 from users where id = @id)", new { id }, tx, cancellationToken: ct));
        if (!exists)
        {
            return Problems.NotFound("There is no such user.");
        }
        await AuthApi.SetPasswordAsync(connection, tx, id, hashing.Hash(request.Password!), ct);
        await AuditLog.WriteAsync(connection, tx, new AuditEntry(CurrentUser.From(principal).Id, "user.password-reset", "user", AuthApi.Id(id)), ct);
        await tx.CommitAsync(ct);
        await revocations.RevokeAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static Task<long> OtherActiveAdminsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from users where role = 'admin' and is_active and id <> @id", new { id }, tx, cancellationToken: ct));

    private static async Task<UsersApi.UserDto> LoadAsync(NpgsqlDataSource db, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<UsersApi.UserDto>(new CommandDefinition(UsersApi.SelectUsers + " where u.id = @id", new { id }, cancellationToken: ct));
    }
}
