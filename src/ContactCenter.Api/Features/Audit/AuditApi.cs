using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Audit;

/// <summary>`GET /api/admin/audit`: the audit log, newest first, keyset-paged by an opaque cursor (the last row's id).</summary>
public static class AuditApi
{
    public sealed record AuditItem(long Id, DateTimeOffset At, long? ActorId, string Action, string SubjectType, string? SubjectId, JsonNode? Before, JsonNode? After);

    public sealed record AuditPage(List<AuditItem> Items, string? NextCursor);

    private sealed record AuditRow(long Id, DateTimeOffset At, long? ActorId, string Action, string SubjectType, string? SubjectId, string? Before, string? After);

    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/audit", List).RequireAuthorization(Roles.AdminPolicy);
        return app;
    }

    // Query values are read as strings so a malformed one is a clear 400 naming the field, not a binder failure.
    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> List(
        string? action, string? actorId, string? cursor, string? limit, NpgsqlDataSource db, CancellationToken ct)
    {
        var errors = new Validation();
        long? actor = null;
        long? before = null;
        var take = DefaultLimit;
        if (actorId is not null)
        {
            errors.Require("actorId", long.TryParse(actorId, NumberStyles.None, CultureInfo.InvariantCulture, out var a), "actorId must be a user id.");
            actor = a;
        }
        if (cursor is not null)
        {
            errors.Require("cursor", long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0, "The cursor is not one this list returned.");
            before = c;
        }
        if (limit is not null)
        {
            errors.Require("limit", int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) && take is >= 1 and <= MaxLimit,
                $"limit must be between 1 and {MaxLimit}.");
        }
        errors.Require("action", action is null || action.Length <= 100, "action is too long.");
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        const string sql = """
            select id, at, actor_id, action, subject_type, subject_id, before::text as before, after::text as after
            from audit_log
            where (@action::text is null or action = @action)
              and (@actor::bigint is null or actor_id = @actor)
              and (@before::bigint is null or id < @before)
            order by id desc
            limit @take
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<AuditRow>(new CommandDefinition(sql,
            new { action = string.IsNullOrEmpty(action) ? null : action, actor, before, take = take + 1 }, cancellationToken: ct))).ToList();
        var more = rows.Count > take;
        var items = rows.Take(take)
            .Select(r => new AuditItem(r.Id, r.At, r.ActorId, r.Action, r.SubjectType, r.SubjectId, Parse(r.Before), Parse(r.After)))
            .ToList();
        return TypedResults.Ok(new AuditPage(items, more ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null));
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
