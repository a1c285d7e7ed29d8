using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Crm.Automation;

public static class AutomationApi
{
    public static IEndpointRouteBuilder MapAutomationApi(this IEndpointRouteBuilder app)
    {
        var rules = app.MapGroup("/api/automation/rules").RequireAuthorization(Roles.AdminPolicy);
        rules.MapGet("/", async (AutomationRules service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)));
        rules.MapPost("/", Create);
        rules.MapPut("/{id:long}", Update);
        rules.MapDelete("/{id:long}", Delete);
        return app;
    }

    private static async Task<Results<Created<AutomationRuleDto>, ProblemHttpResult, ValidationProblem>> Create(
        AutomationRuleInput body, System.Security.Claims.ClaimsPrincipal principal, AutomationRules service, CancellationToken ct) =>
        CrmHttp.Created(await service.SaveAsync(CurrentUser.From(principal).Id, null, body, ct), r => $"/api/automation/rules/{r.Id}");

    private static async Task<Results<Ok<AutomationRuleDto>, ProblemHttpResult, ValidationProblem>> Update(
        long id, AutomationRuleInput body, System.Security.Claims.ClaimsPrincipal principal, AutomationRules service, CancellationToken ct) =>
        CrmHttp.Ok(await service.SaveAsync(CurrentUser.From(principal).Id, id, body, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        long id, System.Security.Claims.ClaimsPrincipal principal, AutomationRules service, CancellationToken ct) =>
        await service.DeleteAsync(CurrentUser.From(principal).Id, id, ct) ? TypedResults.NoContent() : Problems.NotFound("There is no such rule.");
}
