using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Core;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Channels;

public static class ChannelsApi
{
    public sealed record CreateChannelRequest(string? Kind, string? Name, JsonObject? Settings, bool? Enabled);

    public sealed record UpdateChannelRequest(string? Name, JsonObject? Settings, bool? Enabled);

    public sealed record AddMemberRequest(long? UserId);

    /// <summary>A channel as clients see it: secrets are removed from `settings`; `public` URLs are absolute when the public address is configured.</summary>
    public sealed record ChannelDto(long Id, string Kind, string Name, bool Enabled, IDictionary<string, object?> Public,
        JsonObject Settings, string[] SecretsSet, string? StatusError, long[] MemberIds, DateTimeOffset CreatedAt, DateTimeOffset? ArchivedAt);

    public static IEndpointRouteBuilder MapChannelsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/channels").RequireAuthorization();
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create).RequireAuthorization(Roles.AdminPolicy);
        group.MapPatch("/{id:long}", Update).RequireAuthorization(Roles.AdminPolicy);
        group.MapPost("/{id:long}/members", AddMember).RequireAuthorization(Roles.AdminPolicy);
        group.MapDelete("/{id:long}/members/{userId:long}", RemoveMember).RequireAuthorization(Roles.AdminPolicy);
        ChannelLifecycleApi.Map(group);
        ChannelMembersApi.Map(group);
        return app;
    }

    // Managers see the channels they are members of; staff see all. Archived channels only with ?archived=true (then only them).
    private static async Task<Ok<List<ChannelDto>>> List(bool? archived, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, ChannelKindRegistry kinds,
        ChannelPublicUrls urls, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ChannelStore.ChannelRow>(new CommandDefinition(
            ChannelStore.SelectChannels + """
                 where (@staff or id in (select channel_id from channel_members where user_id = @me)) and (archived_at is not null) = @archived order by id
                """,
            new { staff = me.IsStaff, me = me.Id, archived = archived ?? false }, cancellationToken: ct));
        var members = await LoadMembersAsync(connection, ct);
        return TypedResults.Ok(rows.Select(r => ToDto(r, kinds, members, urls)).ToList());
    }

    private static async Task<Results<Ok<ChannelDto>, ProblemHttpResult>> Get(long id, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, ChannelKindRegistry kinds,
        ChannelPublicUrls urls, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ChannelStore.ChannelRow>(new CommandDefinition(
            ChannelStore.SelectChannels + " where id = @id and (@staff or id in (select channel_id from channel_members where user_id = @me))",
            new { id, staff = me.IsStaff, me = me.Id }, cancellationToken: ct));
        if (row is null)
        {
            return Problems.NotFound("There is no such channel.");
        }
        return TypedResults.Ok(ToDto(row, kinds, await LoadMembersAsync(connection, ct), urls));
    }

    private static async Task<Results<Created<ChannelDto>, ValidationProblem>> Create(
        CreateChannelRequest request, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, ChannelKindRegistry kinds, ChannelStore store,
        ContactCenter.Core.Net.OutboundFetchSettings outbound, ChannelPublicUrls urls, Hours.AutoReplies autoReplies, CancellationToken ct)
    {
        var errors = new Validation();
        var handler = request.Kind is null ? null : kinds.Find(request.Kind);
        errors.Require("kind", handler is not null, $"Kind must be one of: {string.Join(", ", kinds.Kinds)}.");
        errors.Require("name", !string.IsNullOrWhiteSpace(request.Name), "A name is required.");
        var settings = request.Settings ?? [];
        if (handler is not null)
        {
            errors.AddAll(await handler.ValidateAsync(settings, ct));
            errors.AddAll(Routing.ChannelRules.Validate(settings));
            errors.AddAll(ChannelTargets.Validate(settings, outbound));
        }
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        var publicKey = handler!.PublicKeyName is null ? null : NewPublicKey();
        const string insert = """
            insert into channels (kind, name, enabled, settings, public_key)
            values (@kind, @name, @enabled, @settings::jsonb, @publicKey)
            returning id
            """;
        long id;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert,
                new { kind = handler.Kind, name = request.Name!.Trim(), enabled = request.Enabled ?? true, settings = settings.ToJsonString(), publicKey }, tx, cancellationToken: ct));
            var after = await ChannelAudit.LoadAsync(connection, tx, id, kinds, ct);
            await ChannelAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, "channel.created", id, null, after, ct);
            await tx.CommitAsync(ct);
        }
        autoReplies.Forget(id); // this node applies new reply settings at once (others within AutoReplies' cache time)
        await RunOnSavedAsync(id, store, handler, ct);
        return TypedResults.Created($"/api/channels/{id}", await LoadDtoAsync(id, db, kinds, urls, ct));
    }

    private static async Task<Results<Ok<ChannelDto>, ProblemHttpResult, ValidationProblem>> Update(
        long id, UpdateChannelRequest request, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db, ChannelKindRegistry kinds, ChannelStore store,
        ContactCenter.Core.Net.OutboundFetchSettings outbound, ChannelPublicUrls urls, Hours.AutoReplies autoReplies, CancellationToken ct)
    {
        var existing = await store.FindAsync(id, ct);
        if (existing is null)
        {
            return Problems.NotFound("There is no such channel.");
        }
        if (request.Enabled == true && await ChannelLifecycleApi.IsArchivedAsync(db, id, ct))
        {
            return Problems.Conflict("This channel is archived: restore it (POST /api/channels/{id}/unarchive) before switching it on.");
        }
        var handler = kinds.Find(existing.Kind)!;
        var settings = existing.Settings;
        var errors = new Validation();
        errors.Require("name", request.Name is null || !string.IsNullOrWhiteSpace(request.Name), "The name cannot be empty.");
        if (request.Settings is not null)
        {
            // A PATCH replaces the settings it names and keeps the others (so secrets need not be sent again).
            foreach (var (key, value) in request.Settings)
            {
                settings[key] = value?.DeepClone();
            }
            errors.AddAll(await handler.ValidateAsync(settings, ct));
            errors.AddAll(Routing.ChannelRules.Validate(settings));
            errors.AddAll(ChannelTargets.Validate(settings, outbound));
        }
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        const string update = """
            update channels set name = coalesce(@name, name), enabled = coalesce(@enabled, enabled),
                settings = @settings::jsonb, updated_at = now()
            where id = @id
            """;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var before = await ChannelAudit.LoadAsync(connection, tx, id, kinds, ct);
            await connection.ExecuteAsync(new CommandDefinition(update,
                new { id, name = request.Name?.Trim(), enabled = request.Enabled, settings = settings.ToJsonString() }, tx, cancellationToken: ct));
            var after = await ChannelAudit.LoadAsync(connection, tx, id, kinds, ct);
            await ChannelAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, "channel.updated", id, before,
                after is null ? null : new { after.Kind, after.Name, after.Enabled, after.Settings, after.SecretsSet, SecretsChanged = ChannelAudit.SecretsChanged(request.Settings, kinds, existing.Kind) }, ct);
            await tx.CommitAsync(ct);
        }
        autoReplies.Forget(id); // this node applies new reply settings at once (others within AutoReplies' cache time)
        await RunOnSavedAsync(id, store, handler, ct);
        return TypedResults.Ok(await LoadDtoAsync(id, db, kinds, urls, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> AddMember(long id, AddMemberRequest request, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db,
        Realtime.InboxNotifier notifier, CancellationToken ct)
    {
        const string sql = """
            insert into channel_members (channel_id, user_id)
            select c.id, u.id from channels c, users u where c.id = @id and u.id = @userId
            on conflict do nothing
            returning 1
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var inserted = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(sql, new { id, userId = request.UserId ?? 0 }, tx, cancellationToken: ct));
        if (inserted is not null)
        {
            await ChannelAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, "channel.member-added", id, null, new { userId = request.UserId }, ct);
        }
        await tx.CommitAsync(ct);
        if (inserted is null)
        {
            var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists(select 1 from channel_members where channel_id = @id and user_id = @userId)", new { id, userId = request.UserId ?? 0 }, cancellationToken: ct));
            if (!exists)
            {
                return Problems.NotFound("There is no such channel or user.");
            }
        }
        else
        {
            await notifier.ResyncAsync([request.UserId!.Value], "membership");
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveMember(long id, long userId, System.Security.Claims.ClaimsPrincipal principal, NpgsqlDataSource db,
        Realtime.InboxNotifier notifier, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists(select 1 from channels where id = @id) and exists(select 1 from users where id = @userId)", new { id, userId }, tx, cancellationToken: ct)))
        {
            return Problems.NotFound("There is no such channel or user.");
        }
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "delete from channel_members where channel_id = @id and user_id = @userId", new { id, userId }, tx, cancellationToken: ct));
        if (removed > 0)
        {
            await ChannelAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, "channel.member-removed", id, new { userId }, null, ct);
        }
        await tx.CommitAsync(ct);
        if (removed > 0)
        {
            await notifier.ResyncAsync([userId], "membership");
        }
        return TypedResults.NoContent();
    }

    private static async Task RunOnSavedAsync(long id, ChannelStore store, IChannelKindHandler handler, CancellationToken ct)
    {
        var channel = await store.FindAsync(id, ct);
        if (channel is { Enabled: true })
        {
            await handler.OnSavedAsync(channel, ct);
        }
    }

    internal static async Task<ChannelDto> LoadDtoAsync(long id, NpgsqlDataSource db, ChannelKindRegistry kinds, ChannelPublicUrls urls, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleAsync<ChannelStore.ChannelRow>(new CommandDefinition(ChannelStore.SelectChannels + " where id = @id", new { id }, cancellationToken: ct));
        return ToDto(row, kinds, await LoadMembersAsync(connection, ct), urls);
    }

    private static async Task<ILookup<long, long>> LoadMembersAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(long ChannelId, long UserId)>(new CommandDefinition(
            "select channel_id, user_id from channel_members order by user_id", cancellationToken: ct));
        return rows.ToLookup(r => r.ChannelId, r => r.UserId);
    }

    internal static ChannelDto ToDto(ChannelStore.ChannelRow row, ChannelKindRegistry kinds, ILookup<long, long> members, ChannelPublicUrls? urls = null)
    {
        var info = row.ToInfo();
        var handler = kinds.Find(row.Kind);
        var secrets = handler?.SecretSettings ?? [];
        var visible = new JsonObject();
        var set = new List<string>();
        foreach (var (key, value) in info.Settings)
        {
            if (secrets.Contains(key))
            {
                if (value is not null)
                {
                    set.Add(key);
                }
                continue;
            }
            visible[key] = value?.DeepClone();
        }
        var publicInfo = handler?.PublicInfo(info) ?? new Dictionary<string, object?>();
        if (handler?.PublicKeyName is { } keyName && row.PublicKey is not null)
        {
            publicInfo[keyName] = row.PublicKey;
        }
        return new ChannelDto(row.Id, row.Kind, row.Name, row.Enabled && row.ArchivedAt is null, urls?.Resolve(publicInfo) ?? publicInfo, visible, [.. set], row.StatusError,
            [.. members[row.Id]], row.CreatedAt, row.ArchivedAt);
    }

    private static string NewPublicKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
