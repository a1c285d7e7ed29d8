using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Channels;

/// <summary>
/// A channel's members in one request each (admin): the whole set (`PUT .../members {userIds}`) or every active manager
/// added (`POST .../members/all-managers`), so a channel made in the wizard is never left invisible to managers. Each
/// change is one transaction with its audit row; the one-at-a-time routes stay in <see cref="ChannelsApi"/>.
/// </summary>
public static class ChannelMembersApi
{
    private const int MaxMembers = 10_000;

    public sealed record SetMembersRequest(long[]? UserIds);

    private sealed record MembersState(long[] UserIds);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPut("/{id:long}/members", Set).RequireAuthorization(Roles.AdminPolicy);
        group.MapPost("/{id:long}/members/all-managers", AddAllManagers).RequireAuthorization(Roles.AdminPolicy);
    }

    private static async Task<Results<Ok<ChannelsApi.ChannelDto>, ProblemHttpResult, ValidationProblem>> Set(
        long id, SetMembersRequest request, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, ChannelKindRegistry kinds,
        ChannelPublicUrls urls, Realtime.InboxNotifier notifier, CancellationToken ct)
    {
        var errors = new Validation();
        var wanted = request.UserIds?.Distinct().Order().ToArray();
        errors.Require("userIds", wanted is not null, "userIds (the list of member user ids, possibly empty) is required.");
        errors.Require("userIds", wanted is null || wanted.Length <= MaxMembers, $"At most {MaxMembers} members.");
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        long[] changed;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (!await LockChannelAsync(connection, tx, id, ct))
            {
                return Problems.NotFound("There is no such channel.");
            }
            var known = (await connection.QueryAsync<long>(new CommandDefinition(
                "select id from users where id = any(@wanted)", new { wanted }, tx, cancellationToken: ct))).ToHashSet();
            var unknown = wanted!.Where(u => !known.Contains(u)).ToList();
            if (unknown.Count > 0)
            {
                errors.Add("userIds", $"There are no users with the ids {string.Join(", ", unknown.Take(20))}.");
                return errors.ToResult();
            }
            var before = await MembersAsync(connection, tx, id, ct);
            changed = [.. before.Except(wanted!).Concat(wanted!.Except(before))];
            await connection.ExecuteAsync(new CommandDefinition("""
                delete from channel_members where channel_id = @id and not (user_id = any(@wanted));
                insert into channel_members (channel_id, user_id) select @id, u from unnest(@wanted) u on conflict do nothing;
                """, new { id, wanted }, tx, cancellationToken: ct));
            if (!before.SequenceEqual(wanted!))
            {
                await ChannelAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, "channel.members-set", id,
                    new MembersState(before), new MembersState(wanted!), ct);
            }
            await tx.CommitAsync(ct);
        }
        await notifier.ResyncAsync(changed, "membership");
        return TypedResults.Ok(await ChannelsApi.LoadDtoAsync(id, db, kinds, urls, ct));
    }

    private static async Task<Results<Ok<ChannelsApi.ChannelDto>, ProblemHttpResult>> AddAllManagers(
        long id, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, ChannelKindRegistry kinds, ChannelPublicUrls urls,
        Realtime.InboxNotifier notifier, CancellationToken ct)
    {
        long[] added;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (!await LockChannelAsync(connection, tx, id, ct))
            {
                return Problems.NotFound("There is no such channel.");
            }
            added = (await connection.QueryAsync<long>(new CommandDefinition("""
                insert into channel_members (channel_id, user_id)
                select @id, id from users where role = 'manager' and is_active
                on conflict do nothing
                returning user_id
                """, new { id }, tx, cancellationToken: ct))).Order().ToArray();
            if (added.Length > 0)
            {
                await ChannelAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, "channel.members-added", id, null, new MembersState(added), ct);
            }
            await tx.CommitAsync(ct);
        }
        await notifier.ResyncAsync(added, "membership");
        return TypedResults.Ok(await ChannelsApi.LoadDtoAsync(id, db, kinds, urls, ct));
    }

    private static async Task<bool> LockChannelAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select id from channels where id = @id for update", new { id }, tx, cancellationToken: ct)) is not null;

    private static async Task<long[]> MembersAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long id, CancellationToken ct) =>
        [.. await connection.QueryAsync<long>(new CommandDefinition(
            "select user_id from channel_members where channel_id = @id order by user_id", new { id }, tx, cancellationToken: ct))];
}
