using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>`GET|POST /api/companies`, `GET|PATCH /api/companies/{id}` (issue #17).</summary>
public static class CompaniesApi
{
    public static IEndpointRouteBuilder MapCompaniesApi(this IEndpointRouteBuilder app)
    {
        var companies = app.MapGroup("/api/companies").RequireAuthorization();
        companies.MapGet("/", List);
        companies.MapPost("/", Create);
        companies.MapGet("/{id:long}", Get);
        companies.MapPatch("/{id:long}", Patch);
        return app;
    }

    private static async Task<Results<Ok<Page<CompanyListItem>>, ValidationProblem>> List(
        string? q, int? limit, string? cursor, ClaimsPrincipal principal, CompanyService companies, CancellationToken ct)
    {
        if (q is { Length: > ContactSearch.MaxLength })
        {
            return CrmHttp.Invalid("q", $"q is at most {ContactSearch.MaxLength} characters.");
        }
        return TypedResults.Ok(await companies.ListAsync(CurrentUser.From(principal), q, PipelinesApi.Limit(limit), cursor, ct));
    }

    private static async Task<Results<Created<CompanyDto>, ProblemHttpResult, ValidationProblem>> Create(
        CompanyInput body, ClaimsPrincipal principal, CompanyService companies, CancellationToken ct) =>
        CrmHttp.Created(await companies.CreateAsync(CurrentUser.From(principal), body, ct), c => $"/api/companies/{c.Id}");

    private static async Task<Results<Ok<CompanyDto>, ProblemHttpResult>> Get(long id, ClaimsPrincipal principal, CompanyService companies, CancellationToken ct) =>
        await companies.GetAsync(CurrentUser.From(principal), id, ct) is { } company ? TypedResults.Ok(company) : Problems.NotFound("There is no such company.");

    private static async Task<Results<Ok<CompanyDto>, ProblemHttpResult, ValidationProblem>> Patch(
        long id, CompanyInput body, ClaimsPrincipal principal, CompanyService companies, CancellationToken ct) =>
        CrmHttp.Ok(await companies.PatchAsync(CurrentUser.From(principal), id, body, ct));
}
