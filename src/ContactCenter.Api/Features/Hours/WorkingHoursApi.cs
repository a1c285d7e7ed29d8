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
    /// <summary>`{workingHours: {...}}` to set a schedule, `{workingHours: null}` to remove it; `workingHours` must be sent.</summary>
    public sealed record WorkingHoursBody
    {
        private readonly WeekSchedule? workingHours;

        public WorkingHoursBody()
        {
        }

        public WorkingHoursBody(WeekSchedule? schedule)
        {
            workingHours = schedule;
            Sent = true;
        }

        public WeekSchedule? WorkingHours
        {
            get => workingHours;
            init
            {
                workingHours = value;
                Sent = true;
            }
        }

        /// <summary>The body named `workingHours` (null included): a body without it (`{}`, a misspelt member) removes nothing.</summary>
        [JsonIgnore]
        public bool Sent { get; private init; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; init; }
    }

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
        if (body.Unknown is { Count: > 0 } extra)
        {
            var key = extra.Keys.First();
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [key] = [$"Unknown field {key}: send {{\"workingHours\": {{timeZone, days, from, to}}}} or {{\"workingHours\": null}}."] },
                detail: "The working hours are not valid.");
        }
        if (!body.Sent)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["workingHours"] = ["workingHours is required: a schedule {timeZone, days, from, to}, or null to remove it."] },
                detail: "The working hours are not valid.");
        }
        if (body.WorkingHours?.Unknown is { Count: > 0 } unknown)
        {
            var key = unknown.Keys.First();
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [$"workingHours.{key}"] = [$"Unknown field {key}: a schedule is timeZone, days, from and to."] },
                detail: "The working hours are not valid.");
        }
        if (body.WorkingHours is { } schedule && (ScheduleProblem(schedule) ?? (WorkingHours.Problem(schedule.ToJson()) is { } other ? ("workingHours", other) : null)) is { } problem)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Detail] }, detail: "The working hours are not valid.");
        }
        // Stored normalised: only the four fields, lower-case days once each.
        var clean = body.WorkingHours is { } s ? s with { TimeZone = s.TimeZone ?? "UTC", Days = s.Days!.Select(d => d.ToLowerInvariant()).Distinct().ToArray() } : null;
        await using var connection = await db.OpenConnectionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "update users set working_hours = @hours::jsonb where id = @id", new { id, hours = clean?.ToJson().ToJsonString() }, cancellationToken: ct));
        return updated == 0 ? Problems.NotFound("There is no such user.") : TypedResults.Ok(new WorkingHoursBody(clean));
    }

    /// <summary>The first thing wrong with a schedule, by its field, in this API's words (not the time-zone library's).</summary>
    private static (string Field, string Detail)? ScheduleProblem(WeekSchedule s)
    {
        if (s.TimeZone is { } zone && (zone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)))
        {
            return ("workingHours.timeZone", "timeZone is an IANA time zone such as Europe/Moscow.");
        }
        if (s.Days is not { Length: > 0 } days || !days.All(BusinessHours.IsDay))
        {
            return ("workingHours.days", "days lists at least one of mon, tue, wed, thu, fri, sat, sun.");
        }
        if (!ClockTime.TryParse(s.From, out var from))
        {
            return ("workingHours.from", "from is a time like 09:00.");
        }
        if (!ClockTime.TryParse(s.To, out var to, endOfDay: true))
        {
            return ("workingHours.to", "to is a time like 18:00 (or 24:00).");
        }
        return from < to ? null : ("workingHours.to", "to is after from (a working day ends on the day it starts).");
    }
}
