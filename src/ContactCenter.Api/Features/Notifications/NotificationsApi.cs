using System.Globalization;
using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Notifications;

/// <summary>The caller's own notification centre: every query is bound to the caller's id, never to one in the request.</summary>
public static class NotificationsApi
{
    public const int PageSize = 30;

    public sealed record NotificationPage(IReadOnlyList<NotificationItem> Items, long Unread, string? NextCursor);

    public sealed record ReadRequest(long[]? Ids, bool? All);

    public sealed record ReadResult(long Unread);

    public sealed record Colleague(long Id, string Name);

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").RequireAuthorization();
        group.MapGet("/", List).RequireReadGate();
        group.MapPost("/read", Read);
        app.MapGet("/api/me/settings", NotificationSettingsApi.Get).RequireAuthorization();
        app.MapPut("/api/me/settings", NotificationSettingsApi.Put).RequireAuthorization();
        app.MapGet("/api/colleagues", Colleagues).RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<NotificationPage>, ValidationProblem>> List(ClaimsPrincipal principal, NpgsqlDataSource db, string? cursor, CancellationToken ct)
    {
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
            {
                var v = new Validation();
                v.Add(nameof(cursor), "The cursor is not valid.");
                return v.ToResult();
            }
            before = parsed;
        }
        var sql = $"""
            select user_id, {NotificationStore.ItemColumns} from notifications
            where user_id = @me and (@before::bigint is null or id < @before) order by id desc limit @take;
            select count(*) from notifications where user_id = @me and read_at is null;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        // One snapshot for the page and the count: a notice committing between them was counted but not listed, and the
        // web app, adding it again when its push came, showed the bell one too high until a reload.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { me = CurrentUser.From(principal).Id, before, take = PageSize + 1 }, tx, cancellationToken: ct));
        var rows = (await grid.ReadAsync<NotificationStore.Row>()).ToList();
        var unread = await grid.ReadSingleAsync<long>();
        string? next = null;
        if (rows.Count > PageSize)
        {
            rows.RemoveAt(rows.Count - 1);
            next = rows[^1].Id.ToString(CultureInfo.InvariantCulture);
        }
        return TypedResults.Ok(new NotificationPage(rows.Select(r => r.ToItem()).ToList(), unread, next));
    }

    /// <summary>Marks the caller's notices read (ids not theirs are ignored: they change nothing and reveal nothing).</summary>
    private static async Task<Results<Ok<ReadResult>, ValidationProblem>> Read(ReadRequest? request, ClaimsPrincipal principal, NpgsqlDataSource db,
        TimeProvider clock, INotificationPushes pushes, ILogger<NotificationStore> logger, CancellationToken ct)
    {
        var all = request?.All == true;
        var ids = request?.Ids ?? [];
        var errors = new Validation();
        errors.Require("ids", all || ids.Length > 0, "Give the ids to mark read, or all: true.");
        errors.Require("ids", !(all && ids.Length > 0), "Give either ids or all: true, not both.");
        errors.Require("ids", ids.Length <= 500, "At most 500 ids at once.");
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        const string sql = """
            with marked as (
                update notifications set read_at = @now
                where user_id = @me and read_at is null and (@all or id = any(@ids))
                returning id
            )
            select id from marked;
            select count(*) from notifications where user_id = @me and read_at is null;
            """;
        var me = CurrentUser.From(principal).Id;
        List<long> marked;
        long unread;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { me, all, ids, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct)))
        {
            marked = (await grid.ReadAsync<long>()).ToList();
            unread = await grid.ReadSingleAsync<long>();
        }
        if (marked.Count > 0)
        {
            // The caller's other devices (their own group only, never a colleague's) update their bell.
            try
            {
                await pushes.NotificationsReadAsync(me, new NotificationsRead(all ? [] : marked, all, unread));
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Pushing notificationsRead to user {UserId} failed", me);
            }
        }
        return TypedResults.Ok(new ReadResult(unread));
    }

    /// <summary>Active colleagues' names, for @mentions: id and name only, nothing else (no emails, roles or channels).</summary>
    private static async Task<Ok<List<Colleague>>> Colleagues(ClaimsPrincipal principal, NpgsqlDataSource db, string? q, CancellationToken ct)
    {
        const string sql = """
            select id, name from users
            where is_active and id <> @me and (@q = '' or name ilike '%' || @q || '%')
            order by name, id limit 20
            """;
        // Cut before escaping: a cut escape would leave the pattern ending in its escape character (an SQL error).
        var term = (q ?? "").Trim();
        term = term.Length > 100 ? term[..100] : term;
        term = term.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Colleague>(new CommandDefinition(sql, new { me = CurrentUser.From(principal).Id, q = term }, cancellationToken: ct));
        return TypedResults.Ok(rows.ToList());
    }
}
