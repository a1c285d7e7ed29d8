using System.Security.Claims;
using System.Text.Json.Nodes;
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
    public sealed record WorkingHoursBody(JsonObject? WorkingHours);

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
            : TypedResults.Ok(new WorkingHoursBody(row.Hours is null ? null : JsonNode.Parse(row.Hours) as JsonObject));
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
        if (body.WorkingHours is { } schedule && WorkingHours.Problem(schedule) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["workingHours"] = [problem] }, detail: "The working hours are not valid.");
        }
        // Stored normalised: only the four fields, so nothing else rides along in the column.
        var clean = body.WorkingHours is { } s ? new JsonObject
        {
            ["timeZone"] = s["timeZone"]?.GetValue<string>() ?? "UTC",
            ["days"] = new JsonArray(s["days"]!.AsArray().Select(d => d!.GetValue<string>().ToLowerInvariant()).Distinct().Select(d => (JsonNode?)d).ToArray()),
            ["from"] = s["from"]!.GetValue<string>(),
            ["to"] = s["to"]!.GetValue<string>(),
        } : null;
        await using var connection = await db.OpenConnectionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "update users set working_hours = @hours::jsonb where id = @id", new { id, hours = clean?.ToJsonString() }, cancellationToken: ct));
        return updated == 0 ? Problems.NotFound("There is no such user.") : TypedResults.Ok(new WorkingHoursBody(clean));
    }
}
