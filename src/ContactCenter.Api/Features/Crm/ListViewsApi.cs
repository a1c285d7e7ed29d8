using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Crm;

/// <summary>The list views of deals and leads (`GET /api/deals`, `GET /api/leads`: JSON pages or CSV) and bulk changes of deals.</summary>
public static class ListViewsApi
{
    public static IEndpointRouteBuilder MapListViewsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/deals/bulk", Bulk).RequireAuthorization();
        app.MapPost("/api/leads/bulk", LeadBulk).RequireAuthorization();
        return app;
    }

    public static Task<Results<Ok<Page<DealCard>>, PushStreamHttpResult, ValidationProblem>> Deals(
        HttpRequest request, ClaimsPrincipal principal, DealListQuery list, CancellationToken ct) => ListAsync(request, principal, list, "deals.csv", ct);

    public static Task<Results<Ok<Page<LeadDto>>, PushStreamHttpResult, ValidationProblem>> Leads(
        HttpRequest request, ClaimsPrincipal principal, LeadListQuery list, CancellationToken ct) => ListAsync(request, principal, list, "leads.csv", ct);

    private static async Task<Results<Ok<Page<TItem>>, PushStreamHttpResult, ValidationProblem>> ListAsync<TFilter, TItem>(
        HttpRequest request, ClaimsPrincipal principal, IListQuery<TFilter, TItem> list, string csvFileName, CancellationToken ct)
        where TFilter : class
    {
        var me = CurrentUser.From(principal);
        var (filter, errors, definitions) = await list.ReadAsync(request, me, ct);
        if (filter is null)
        {
            return errors.ToResult("Some filters are not valid.");
        }
        if (BadFormat(request) is { } bad)
        {
            return bad;
        }
        return ListQueryReader.WantsCsv(request)
            ? TypedResults.Stream(stream => list.WriteCsvAsync(me, filter, definitions, stream, ct), "text/csv; charset=utf-8", csvFileName)
            : TypedResults.Ok(await list.PageAsync(me, filter, ct));
    }

    private static async Task<Results<Ok<DealBulkService.BulkResult>, ProblemHttpResult, ValidationProblem>> Bulk(
        DealBulkInput request, ClaimsPrincipal principal, DealBulkService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.ApplyAsync(CurrentUser.From(principal), request, ct));

    private static async Task<Results<Ok<LeadBulkService.BulkResult>, ProblemHttpResult, ValidationProblem>> LeadBulk(
        LeadBulkInput request, ClaimsPrincipal principal, LeadBulkService service, HttpContext http, CancellationToken ct)
    {
        var result = await service.ApplyAsync(CurrentUser.From(principal), request, ct);
        // Each lead's refusal is a problem sentence too: in the caller's language, as the problems are.
        if (result.Status == CrmStatus.Ok && ProblemTexts.For(http.Request) is { } texts)
        {
            result = CrmResult<LeadBulkService.BulkResult>.Ok(result.Value! with
            {
                Items = result.Value!.Items.Select(i => i.Error is null ? i : i with { Error = texts.Translate(i.Error) }).ToList(),
            });
        }
        return CrmHttp.Ok(result);
    }

    private static ValidationProblem? BadFormat(HttpRequest request) =>
        request.Query["format"].ToString() is "" or "csv" or "json" ? null : CrmHttp.Invalid("format", "format is csv or json.");
}
