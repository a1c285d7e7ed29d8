using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Audit;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Users;

public static class UsersApi
{
    public sealed record CreateUserRequest(string? Email, string? Name, string? Role, string? Password, long[]? ChannelIds);

    /// <summary>A row of SelectUsers (Dapper fills the properties); `required` so the document says every field is always written.</summary>
    public sealed class UserDto
    {
        public required long Id { get; init; }
        public required string Email { get; init; }
        public required string Name { get; init; }
        public required string Role { get; init; }
        public required bool IsActive { get; init; }
        public required long[] ChannelIds { get; init; }
        public required DateTimeOffset CreatedAt { get; init; }
    }

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").RequireAuthorization();
        group.MapGet("/", List);
        group.MapPost("/", Create).RequireAuthorization(Roles.AdminPolicy);
        group.MapUserLifecycle();
        return app;
    }

    internal const string SelectUsers = """
        select u.id, u.email, u.name, u.role, u.is_active,
               coalesce(array(select m.channel_id from channel_members m where m.user_id = u.id order by m.channel_id), '{}') as channel_ids,
               u.created_at
        from users u
        """;

    /// <summary>One address with a local part and a domain (MimeKit's parser, as the email channel uses): "@@@@" is not one.</summary>
    private static bool IsEmail(string? email) =>
        email?.Trim() is { Length: > 3 and <= 320 } e && MimeKit.MailboxAddress.TryParse(e, out var parsed) && parsed.Address == e
        && e.IndexOf('@', StringComparison.Ordinal) is var at and > 0 && at < e.Length - 1 && e.Count(c => c == '@') == 1 && !e.Any(char.IsWhiteSpace);

    // Everyone signed in may list colleagues (to assign and mention); only admins create them.
    private static async Task<Ok<List<UserDto>>> List(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var users = await connection.QueryAsync<UserDto>(new CommandDefinition(SelectUsers + " order by u.id", cancellationToken: ct));
        return TypedResults.Ok(users.ToList());
    }

    private static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> Create(
        CreateUserRequest request, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, PasswordHashing hashing, CancellationToken ct)
    {
        var errors = new Validation();
        errors.Require(nameof(request.Email), IsEmail(request.Email), "A valid email is required.");
        errors.Require(nameof(request.Name), !string.IsNullOrWhiteSpace(request.Name), "A name is required.");
        errors.Require(nameof(request.Role), request.Role is not null && Roles.IsValid(request.Role), "Role must be admin, supervisor or manager.");
        AuthApi.ValidatePassword(errors, nameof(request.Password), request.Password);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        const string insert = """
            insert into users (email, name, role, password_hash) values (@email, @name, @role, @hash)
            on conflict do nothing
            returning id
            """;
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(insert,
            new { email = request.Email!.Trim(), name = request.Name!.Trim(), role = request.Role, hash = hashing.Hash(request.Password!) }, tx, cancellationToken: ct));
        if (id is null)
        {
            return TypedResults.Problem("A user with this email already exists.", statusCode: StatusCodes.Status409Conflict);
        }
        if (request.ChannelIds is { Length: > 0 } channelIds)
        {
            // Every id must name a channel (they were dropped in silence: the user was created without the channels asked for).
            var known = (await connection.QueryAsync<long>(new CommandDefinition(
                "select id from channels where id = any(@channelIds)", new { channelIds }, tx, cancellationToken: ct))).ToHashSet();
            var unknown = channelIds.Where(c => !known.Contains(c)).Distinct().ToList();
            if (unknown.Count > 0)
            {
                await tx.RollbackAsync(ct);
                var invalid = new Validation();
                invalid.Add("channelIds", $"There are no channels with the ids {string.Join(", ", unknown.Take(20))}.");
                return invalid.ToResult();
            }
            const string members = """
                insert into channel_members (channel_id, user_id)
                select c.id, @id from channels c where c.id = any(@channelIds)
                on conflict do nothing
                """;
            await connection.ExecuteAsync(new CommandDefinition(members, new { id, channelIds }, tx, cancellationToken: ct));
        }
        var user = await connection.QuerySingleAsync<UserDto>(new CommandDefinition(SelectUsers + " where u.id = @id", new { id }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(connection, tx, new AuditEntry(CurrentUser.From(principal).Id, "user.created", "user", AuthApi.Id(user.Id),
            After: new { user.Name, user.Email, user.Role, user.IsActive, user.ChannelIds }), ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/users/{id}", user);
    }
}
