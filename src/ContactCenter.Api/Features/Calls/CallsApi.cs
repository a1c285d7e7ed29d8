using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Connectors.Sms;
using ContactCenter.Core;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Calls;

/// <summary>
/// Calls in the API: click-to-call from a contact, per-manager call statistics, and the phone a manager's calls ring
/// (`PATCH /api/me`, admins `PUT /api/users/{id}/phone`).
/// </summary>
public static class CallsApi
{
    public sealed record CallRequest(long? ChannelId);

    public sealed record PhoneRequest(string? Phone);

    public sealed record PhoneDto(long Id, string? Phone);

    public sealed record ManagerCalls(long UserId, string Name, long Answered, long Missed, long Outbound, long TalkSeconds);

    public sealed record CallStats(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ManagerCalls> Managers);

    public static IEndpointRouteBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/contacts/{id:long}/call", Call).RequireAuthorization();
        app.MapGet("/api/stats/calls", Stats).RequireAuthorization(Roles.StaffPolicy);
        app.MapPatch("/api/me", SetMyPhone).RequireAuthorization();
        app.MapPut("/api/users/{id:long}/phone", SetPhone).RequireAuthorization(Roles.AdminPolicy);
        return app;
    }

    private static async Task<Results<Created<ClickToCall.Started>, ProblemHttpResult, ValidationProblem>> Call(long id, CallRequest? request,
        ClaimsPrincipal principal, ClickToCall calls, CancellationToken ct)
    {
        switch (await calls.StartAsync(CurrentUser.From(principal), id, request?.ChannelId, ct))
        {
            case ClickToCall.Outcome.Ok ok:
                return TypedResults.Created($"/api/messages/{ok.Call.MessageId}", ok.Call);
            case ClickToCall.Outcome.NotFound notFound:
                return Problems.NotFound(notFound.Reason);
            case ClickToCall.Outcome.Invalid invalid:
                var v = new Validation();
                v.Add(invalid.Field, invalid.Reason);
                return v.ToResult(invalid.Reason);
            case ClickToCall.Outcome.Refused refused:
                // Twilio said no (a trial account, an unverified number): nothing was stored, the manager sees why.
                return Problems.Conflict(refused.Reason);
            default:
                return Problems.Conflict("The call was not started.");
        }
    }

    private static async Task<Results<Ok<CallStats>, ValidationProblem>> Stats(DateTimeOffset? from, DateTimeOffset? to, NpgsqlDataSource db,
        TimeProvider clock, CancellationToken ct)
    {
        var end = to ?? clock.GetUtcNow();
        // A 'to' in the first days of year 1 has no 30 days before it: the default start stops at the earliest date (then 400).
        var start = from ?? (end > DateTimeOffset.MinValue.AddDays(30) ? end.AddDays(-30) : DateTimeOffset.MinValue);
        if (start >= end || end - start > TimeSpan.FromDays(3700) || start.Year < 2 || end.Year > 9998)
        {
            var v = new Validation();
            v.Add("from", "from must be before to, and the period at most ten years.");
            return v.ToResult();
        }
        // Answered and talk time go to the manager who talked (inbound) or called (outbound); a missed call to the
        // manager it was meant for (the assignee who got the call-back activity).
        const string sql = """
            select u.id as user_id, u.name,
                   count(*) filter (where m.metadata ->> 'callMissed' = 'false') as answered,
                   count(*) filter (where m.metadata ->> 'callMissed' = 'true') as missed,
                   count(*) filter (where m.direction = 'outbound') as outbound,
                   coalesce(sum((m.metadata ->> 'callDurationSeconds')::bigint) filter (where m.metadata ->> 'callMissed' = 'false'), 0)::bigint as talk_seconds
            from messages m
            join users u on u.id::text = m.metadata ->> 'callUserId'
            where m.metadata ->> 'kind' = 'call' and m.created_at >= @from and m.created_at < @to
            group by u.id, u.name
            order by u.name, u.id
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<ManagerCalls>(new CommandDefinition(sql, new { from = start.UtcDateTime, to = end.UtcDateTime }, cancellationToken: ct));
        return TypedResults.Ok(new CallStats(start, end, rows.ToList()));
    }

    private static Task<Results<Ok<PhoneDto>, ProblemHttpResult, ValidationProblem>> SetMyPhone(PhoneRequest request, ClaimsPrincipal principal,
        NpgsqlDataSource db, CancellationToken ct) => SaveAsync(CurrentUser.From(principal).Id, request, db, ct);

    private static Task<Results<Ok<PhoneDto>, ProblemHttpResult, ValidationProblem>> SetPhone(long id, PhoneRequest request, NpgsqlDataSource db, CancellationToken ct) =>
        SaveAsync(id, request, db, ct);

    private static async Task<Results<Ok<PhoneDto>, ProblemHttpResult, ValidationProblem>> SaveAsync(long id, PhoneRequest request, NpgsqlDataSource db, CancellationToken ct)
    {
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(request.Phone) && (phone = E164.NormalizeValid(request.Phone)) is null)
        {
            var v = new Validation();
            v.Add("phone", "phone must be a valid number in international form, e.g. +14155550100 (empty clears it).");
            return v.ToResult();
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        var updated = await connection.ExecuteAsync(new CommandDefinition("update users set phone = @phone where id = @id", new { id, phone }, cancellationToken: ct));
        return updated == 0 ? Problems.NotFound("There is no such user.") : TypedResults.Ok(new PhoneDto(id, phone));
    }
}
