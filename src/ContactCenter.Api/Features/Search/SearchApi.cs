using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Search;

/// <summary>
/// `GET /api/search?q=&amp;cursor=&amp;limit=`: messages and contacts the caller may see, newest first; and
/// `GET /api/search/records?q=&amp;limit=`: the deals, leads, contacts and companies the caller may see that match.
/// </summary>
public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        // A gate of its own (ReadGates.Search): sixteen searches at once on two cores had a p99 five to eight times their p50.
        app.MapGet("/api/search", Search).RequireAuthorization().RequireReadGate(ReadGates.Search);
        app.MapGet("/api/search/records", Records).RequireAuthorization().RequireReadGate(ReadGates.Search);
        return app;
    }

    private static async Task<Results<Ok<SearchQueries.SearchPage>, ValidationProblem>> Search(
        ClaimsPrincipal principal, SearchQueries search, string? q, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = new Validation();
        if (SearchText.Problem(q) is { } problem)
        {
            errors.Add(nameof(q), problem);
        }
        errors.Require(nameof(limit), limit is null or (>= 1 and <= 50), "Limit must be between 1 and 50.");
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        return TypedResults.Ok(await search.SearchAsync(CurrentUser.From(principal), q!, limit ?? 20, cursor, ct));
    }

    private static async Task<Results<Ok<RecordSearch.Records>, ValidationProblem>> Records(
        ClaimsPrincipal principal, RecordSearch search, string? q, int? limit, CancellationToken ct)
    {
        var errors = new Validation();
        if (SearchText.Problem(q) is { } problem)
        {
            errors.Add(nameof(q), problem);
        }
        errors.Require(nameof(limit), limit is null or (>= 1 and <= 20), "Limit must be between 1 and 20.");
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        // One letter would match most records and no trigram index can serve it.
        return q!.Trim().Length < 2
            ? TypedResults.Ok(new RecordSearch.Records([], [], [], []))
            : TypedResults.Ok(await search.SearchAsync(CurrentUser.From(principal), q.Trim(), limit ?? 5, ct));
    }
}
