using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Routing;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Hours;

/// <summary>
/// `GET/PUT /api/users/{id}/working-hours`: a manager's own schedule for routing. An admin edits anyone's; every user
/// edits their own (their settings); nobody else reads or writes it (403). `{workingHours: null}` removes it.
/// </summary>
public static class WorkingHoursApi
{
    public sealed record WorkingHoursBody(WeekSchedule? WorkingHours);

    /// <summary>A week of equal working days: `{timeZone, days: ["mon", ...], from: "09:00", to: "18:00"}`.</summary>
    public sealed record WeekSchedule
    {
        /// <summary>An IANA time zone; absent: UTC.</summary>
        public string? TimeZone { get; init; }

        /// <summary>At least one of mon..sun.</summary>
        public string[]? Days { get; init; }

        /// <summary>HH:mm.</summary>
        public string? From { get; init; }

        /// <summary>HH:mm.</summary>
        public string? To { get; init; }

        /// <summary>Members a schedule does not have: refused (they were ignored, then dropped when stored).</summary>
        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; init; }

        /// <summary>As <see cref="WorkingHours"/> reads it (and the column stores it).</summary>
        public JsonObject ToJson() => new()
        {
            ["timeZone"] = TimeZone ?? "UTC",
            ["days"] = Days is null ? null : new JsonArray(Days.Select(d => (JsonNode?)d?.ToLowerInvariant()).ToArray()),
            ["from"] = From,
            ["to"] = To,
        };
    }

    private static readonly JsonSerializerOptions Stored = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapWorkingHoursApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users/{id:long}/working-hours").RequireAuthorization();
        group.MapGet("/", Get);
        group.MapPut("/", Put);
        return app;
    }

    private static async Task<Results<Ok<WorkingHoursBody>, ProblemHttpResult>> Get(long id, ClaimsPrincipal principal, NpgsqlDataSource db, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        if (!me.IsAdmin && me.Id != id)
        {
            return Problems.Forbidden("Only an admin or the user themselves may see a user's working hours.");
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string? Hours)>(new CommandDefinition(
            "select id, working_hours::text from users where id = @id", new { id }, cancellationToken: ct));
        return row.Id == 0
            ? Problems.NotFound("There is no such user.")
            : TypedResults.Ok(new WorkingHoursBody(row.Hours is null ? null : JsonSerializer.Deserialize<WeekSchedule>(row.Hours, Stored)));
    }

    private static async Task<Results<Ok<WorkingHoursBody>, ProblemHttpResult, ValidationProblem>> Put(
        long id, WorkingHoursBody? body, ClaimsPrincipal principal, NpgsqlDataSource db, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        if (!me.IsAdmin && me.Id != id)
        {
            return Problems.Forbidden("Only an admin or the user themselves may change a user's working hours.");
        }
        if (body is null)
        {
            return Problems.BadRequest("The body must be {\"workingHours\": {timeZone, days, from, to}} or {\"workingHours\": null}.");
        }
        if (body.WorkingHours?.Unknown is { Count: > 0 } unknown)
        {
            var key = unknown.Keys.First();
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [$"workingHours.{key}"] = [$"Unknown field {key}: a schedule is timeZone, days, from and to."] },
                detail: "The working hours are not valid.");
        }
        if (body.WorkingHours is { } schedule && WorkingHours.Problem(schedule.ToJson()) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["workingHours"] = [problem] }, detail: "The working hours are not valid.");
        }
        // Stored normalised: only the four fields, lower-case days once each.
        var clean = body.WorkingHours is { } s ? s with { TimeZone = s.TimeZone ?? "UTC", Days = s.Days!.Select(d => d.ToLowerInvariant()).Distinct().ToArray() } : null;
        await using var connection = await db.OpenConnectionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "update users set working_hours = @hours::jsonb where id = @id", new { id, hours = clean?.ToJson().ToJsonString() }, cancellationToken: ct));
        return updated == 0 ? Problems.NotFound("There is no such user.") : TypedResults.Ok(new WorkingHoursBody(clean));
    }
}
