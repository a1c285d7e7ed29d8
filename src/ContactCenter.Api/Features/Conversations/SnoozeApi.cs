using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using static ContactCenter.Api.Features.Conversations.ConversationActions;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>`POST /api/conversations/{id}/snooze` with `{until}` or `{preset: "nextMorning"}` (issue #16).</summary>
public static class SnoozeApi
{
    public sealed record SnoozeRequest(DateTimeOffset? Until, string? Preset);

    /// <summary>Mapped on the conversations group (its authorization).</summary>
    public static RouteGroupBuilder MapSnoozeApi(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:long}/snooze", Snooze);
        return group;
    }

    /// <summary>Answers the conversation as the caller now sees it (its `snoozedUntil` is what a preset resolved to).</summary>
    private static async Task<Results<Ok<ConversationDetails>, ProblemHttpResult, ValidationProblem>> Snooze(
        long id, SnoozeRequest request, ClaimsPrincipal principal, SnoozeService snoozes, ConversationQueries queries, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var result = await snoozes.SnoozeAsync(me, id, request.Until, request.Preset, ct);
        switch (result.Error)
        {
            case ChangeError.None:
                return await queries.GetAsync(me, id, ct) is { } details ? TypedResults.Ok(details) : Problems.NotFound("There is no such conversation.");
            case ChangeError.NotFound:
                return Problems.NotFound(result.Detail!);
            case ChangeError.Conflict:
                return Problems.Conflict(result.Detail!);
            case ChangeError.Forbidden:
                return Problems.Forbidden(result.Detail!);
            default:
                var errors = new Validation();
                errors.Add(result.Field, result.Detail!);
                return errors.ToResult(result.Detail!);
        }
    }
}
