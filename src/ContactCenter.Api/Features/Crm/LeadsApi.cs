using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Fields;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Crm;

public static class LeadsApi
{
    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var leads = app.MapGroup("/api/leads").RequireAuthorization();
        leads.MapGet("/", ListViewsApi.Leads).RequireReadGate(ReadGates.Lists);
        leads.MapPost("/", Create);
        leads.MapGet("/{id:long}", Get).RequireReadGate();
        leads.MapPatch("/{id:long}", Patch);
        leads.MapPost("/{id:long}/convert", Convert);
        leads.MapPost("/{id:long}/junk", Junk);
        leads.MapGet("/{id:long}/timeline", (long id, int? limit, string? cursor, ClaimsPrincipal p, TimelineService t, CancellationToken ct) =>
            DealsApi.TimelineOf(Subject.Lead(id), limit, cursor, p, t, ct));
        leads.MapPost("/{id:long}/comments", (long id, DealsApi.CommentRequest r, ClaimsPrincipal p, TimelineService t, CancellationToken ct) =>
            DealsApi.Comment(Subject.Lead(id), r, p, t, ct));
        return app;
    }

    private static async Task<Results<Ok<LeadDto>, ProblemHttpResult>> Get(long id, ClaimsPrincipal principal, LeadQueries queries, CancellationToken ct) =>
        await queries.GetAsync(CurrentUser.From(principal), id, ct) is { } lead ? TypedResults.Ok(lead) : Problems.NotFound("There is no such lead.");

    private static async Task<Results<Created<LeadDto>, ProblemHttpResult, ValidationProblem>> Create(
        LeadService.CreateRequest request, ClaimsPrincipal principal, LeadService service, CancellationToken ct) =>
        CrmHttp.Created(await service.CreateAsync(CurrentUser.From(principal), request, ct), l => $"/api/leads/{l.Id}");

    private static async Task<Results<Ok<LeadDto>, ProblemHttpResult, ValidationProblem>> Patch(
        long id, LeadPatch request, ClaimsPrincipal principal, LeadService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.PatchAsync(CurrentUser.From(principal), id, request, ct));

    private static async Task<Results<Ok<LeadService.ConvertResult>, ProblemHttpResult, ValidationProblem>> Convert(
        long id, LeadService.ConvertRequest? request, ClaimsPrincipal principal, LeadService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.ConvertAsync(CurrentUser.From(principal), id, request ?? new LeadService.ConvertRequest(null, null, null, null, null, null), ct));

    private static async Task<Results<Ok<LeadDto>, ProblemHttpResult, ValidationProblem>> Junk(
        long id, LeadService.JunkRequest request, ClaimsPrincipal principal, LeadService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.JunkAsync(CurrentUser.From(principal), id, request, ct));
}
