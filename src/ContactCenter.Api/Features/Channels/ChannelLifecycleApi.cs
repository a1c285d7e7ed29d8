using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Channels;

/// <summary>
/// Deleting and archiving channels (admin). A channel is deleted only while nothing was received on it: conversations
/// (and their messages, leads' history, statistics) point at it. Otherwise it is archived: switched off, so its webhooks
/// answer as for a disabled channel, and hidden from the default list; restoring it leaves it switched off.
/// </summary>
public static class ChannelLifecycleApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapDelete("/{id:long}", Delete).RequireAuthorization(Roles.AdminPolicy);
        group.MapPost("/{id:long}/archive", Archive).RequireAuthorization(Roles.AdminPolicy);
        group.MapPost("/{id:long}/unarchive", Unarchive).RequireAuthorization(Roles.AdminPolicy);
    }

    public static async Task<bool> IsArchivedAsync(NpgsqlDataSource db, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select archived_at is not null from channels where id = @id", new { id }, cancellationToken: ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        long id, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, ChannelKindRegistry kinds, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // The row lock (FOR UPDATE) waits for, and then keeps out, inbound writes that open a conversation on this channel.
        var before = await ChannelAudit.LoadAsync(connection, tx, id, kinds, ct);
        if (before is null)
        {
            return Problems.NotFound("There is no such channel.");
        }
        var conversations = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from conversations where channel_id = @id", new { id }, tx, cancellationToken: ct));
        if (conversations > 0)
        {
            return HasConversations(id, conversations);
        }
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("delete from channels where id = @id", new { id }, tx, cancellationToken: ct));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // Something else that keeps history points at the channel: the same answer, nothing changed.
            return HasConversations(id, conversations);
        }
        await ChannelAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, "channel.deleted", id, before, null, ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult HasConversations(long id, long conversations) => TypedResults.Problem(
        $"This channel has {conversations} conversation(s), so it cannot be deleted. Archive it instead (POST /api/channels/{id}/archive): "
        + "it is switched off and hidden from the list, and its conversations stay.",
        statusCode: StatusCodes.Status409Conflict, title: "The channel has conversations",
        extensions: new Dictionary<string, object?> { ["conversations"] = conversations, ["archiveUrl"] = $"/api/channels/{id}/archive" });

    private static Task<Results<Ok<ChannelsApi.ChannelDto>, ProblemHttpResult>> Archive(
        long id, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, ChannelKindRegistry kinds, ChannelPublicUrls urls, CancellationToken ct) =>
        SetArchivedAsync(id, archived: true, principal, db, kinds, urls, ct);

    private static Task<Results<Ok<ChannelsApi.ChannelDto>, ProblemHttpResult>> Unarchive(
        long id, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, ChannelKindRegistry kinds, ChannelPublicUrls urls, CancellationToken ct) =>
        SetArchivedAsync(id, archived: false, principal, db, kinds, urls, ct);

    private sealed record ArchiveState(bool Enabled, DateTimeOffset? ArchivedAt);

    private static async Task<Results<Ok<ChannelsApi.ChannelDto>, ProblemHttpResult>> SetArchivedAsync(
        long id, bool archived, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, ChannelKindRegistry kinds, ChannelPublicUrls urls, CancellationToken ct)
    {
        // Archiving switches the channel off; restoring leaves it off (an admin switches it on when it is ready again).
        const string update = """
            update channels set archived_at = case when @archived then coalesce(archived_at, now()) end,
                enabled = enabled and not @archived, updated_at = now()
            where id = @id
            returning enabled, archived_at
            """;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var before = await connection.QuerySingleOrDefaultAsync<ArchiveState>(new CommandDefinition(
                "select enabled, archived_at from channels where id = @id for update", new { id }, tx, cancellationToken: ct));
            if (before is null)
            {
                return Problems.NotFound("There is no such channel.");
            }
            if ((before.ArchivedAt is not null) != archived)
            {
                var after = await connection.QuerySingleAsync<ArchiveState>(new CommandDefinition(update, new { id, archived }, tx, cancellationToken: ct));
                await ChannelAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, archived ? "channel.archived" : "channel.unarchived", id, before, after, ct);
            }
            await tx.CommitAsync(ct);
        }
        return TypedResults.Ok(await ChannelsApi.LoadDtoAsync(id, db, kinds, urls, ct));
    }
}
