using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Fields;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Crm;

public static class DealsApi
{
    public sealed record CommentRequest(string? Text);

    public static IEndpointRouteBuilder MapDealsApi(this IEndpointRouteBuilder app)
    {
        var deals = app.MapGroup("/api/deals").RequireAuthorization();
        deals.MapGet("/", ListViewsApi.Deals).RequireReadGate(ReadGates.Lists);
        deals.MapPost("/", Create);
        deals.MapGet("/{id:long}", Get).RequireReadGate();
        deals.MapPatch("/{id:long}", Patch);
        deals.MapPost("/{id:long}/close", Close);
        deals.MapPost("/{id:long}/reopen", Reopen);
        deals.MapGet("/{id:long}/timeline", (long id, int? limit, string? cursor, ClaimsPrincipal p, TimelineService t, CancellationToken ct) =>
            TimelineOf(Subject.Deal(id), limit, cursor, p, t, ct));
        deals.MapPost("/{id:long}/comments", (long id, CommentRequest r, ClaimsPrincipal p, TimelineService t, CancellationToken ct) =>
            Comment(Subject.Deal(id), r, p, t, ct));
        return app;
    }

    private static async Task<Results<Created<DealDto>, ProblemHttpResult, ValidationProblem>> Create(
        DealService.CreateRequest request, ClaimsPrincipal principal, DealService service, CancellationToken ct) =>
        CrmHttp.Created(await service.CreateAsync(CurrentUser.From(principal), request, ct), d => $"/api/deals/{d.Id}");

    private static async Task<Results<Ok<DealDto>, ProblemHttpResult>> Get(long id, ClaimsPrincipal principal, DealQueries queries, CancellationToken ct) =>
        await queries.GetAsync(CurrentUser.From(principal), id, ct) is { } deal ? TypedResults.Ok(deal) : Problems.NotFound("There is no such deal.");

    private static async Task<Results<Ok<DealDto>, ProblemHttpResult, ValidationProblem>> Patch(
        long id, DealPatch request, ClaimsPrincipal principal, DealPatchService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.PatchAsync(CurrentUser.From(principal), id, request, ct));

    private static async Task<Results<Ok<DealDto>, ProblemHttpResult, ValidationProblem>> Close(
        long id, DealService.CloseRequest request, ClaimsPrincipal principal, DealService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.CloseAsync(CurrentUser.From(principal), id, request, ct));

    private static async Task<Results<Ok<DealDto>, ProblemHttpResult, ValidationProblem>> Reopen(
        long id, DealService.ReopenRequest? request, ClaimsPrincipal principal, DealService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.ReopenAsync(CurrentUser.From(principal), id, request ?? new DealService.ReopenRequest(null), ct));

    internal static async Task<Results<Ok<Page<TimelineEntryDto>>, ProblemHttpResult>> TimelineOf(
        Subject subject, int? limit, string? cursor, ClaimsPrincipal principal, TimelineService timeline, CancellationToken ct) =>
        await timeline.ListAsync(CurrentUser.From(principal), subject, PipelinesApi.Limit(limit), cursor, ct) is { } page
            ? TypedResults.Ok(page)
            : Problems.NotFound($"There is no such {subject.Type}.");

    internal static async Task<Results<Created<TimelineEntryDto>, ProblemHttpResult, ValidationProblem>> Comment(
        Subject subject, CommentRequest request, ClaimsPrincipal principal, TimelineService timeline, CancellationToken ct) =>
        CrmHttp.Created(await timeline.CommentAsync(CurrentUser.From(principal), subject, request.Text, ct),
            e => $"/api/{subject.Type}s/{subject.Id}/timeline");
}
