using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Crm;

public static class ActivitiesApi
{
    public static IEndpointRouteBuilder MapActivitiesApi(this IEndpointRouteBuilder app)
    {
        var activities = app.MapGroup("/api/activities").RequireAuthorization();
        activities.MapPost("/", Create);
        activities.MapGet("/", List);
        activities.MapGet("/{id:long}", Get);
        activities.MapPatch("/{id:long}", Patch);
        activities.MapPost("/{id:long}/complete", Complete);
        return app;
    }

    private static async Task<Results<Created<ActivityDto>, ProblemHttpResult, ValidationProblem>> Create(
        ActivityService.CreateRequest request, ClaimsPrincipal principal, ActivityService service, CancellationToken ct) =>
        CrmHttp.Created(await service.CreateAsync(CurrentUser.From(principal), request, ct), a => $"/api/activities/{a.Id}");

    private static async Task<Results<Ok<Page<ActivityDto>>, ProblemHttpResult, ValidationProblem>> List(string? assignee, string? state, string? subjectType,
        long? subjectId, int? limit, string? cursor, ClaimsPrincipal principal, ActivityService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.ListAsync(CurrentUser.From(principal),
            new ActivityService.ListQuery(assignee, state, subjectType, subjectId, PipelinesApi.Limit(limit), cursor), ct));

    private static async Task<Results<Ok<ActivityDto>, ProblemHttpResult>> Get(long id, ClaimsPrincipal principal, ActivityService service, CancellationToken ct) =>
        await service.GetVisibleAsync(CurrentUser.From(principal), id, ct) is { } a ? TypedResults.Ok(a) : Infrastructure.Problems.NotFound("There is no such activity.");

    private static async Task<Results<Ok<ActivityDto>, ProblemHttpResult, ValidationProblem>> Patch(
        long id, ActivityPatch request, ClaimsPrincipal principal, ActivityService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.PatchAsync(CurrentUser.From(principal), id, request, ct));

    private static async Task<Results<Ok<ActivityDto>, ProblemHttpResult, ValidationProblem>> Complete(
        long id, ActivityService.CompleteRequest? request, ClaimsPrincipal principal, ActivityService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.CompleteAsync(CurrentUser.From(principal), id, request, ct));
}
