using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Fields;

/// <summary>`/api/custom-fields`: everyone signed in reads the definitions (cards and lists need them); admins change them.</summary>
public static class CustomFieldsApi
{
    public static IEndpointRouteBuilder MapCustomFieldsApi(this IEndpointRouteBuilder app)
    {
        var fields = app.MapGroup("/api/custom-fields").RequireAuthorization();
        fields.MapGet("/", List);
        fields.MapPost("/", Create).RequireAuthorization(Roles.AdminPolicy);
        fields.MapPatch("/{id:long}", Update).RequireAuthorization(Roles.AdminPolicy);
        fields.MapDelete("/{id:long}", Delete).RequireAuthorization(Roles.AdminPolicy);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<CustomField>>, ValidationProblem>> List(string? entity, bool? archived, CustomFieldService service, CancellationToken ct) =>
        entity is not null && !CustomField.Entities.Contains(entity)
            ? CrmHttp.Invalid("entity", "entity is contact, company, lead or deal.")
            : TypedResults.Ok(await service.ListAsync(entity, archived == true, ct));

    private static async Task<Results<Created<CustomField>, ProblemHttpResult, ValidationProblem>> Create(CustomFieldRequest request, CustomFieldService service, CancellationToken ct) =>
        CrmHttp.Created(await service.CreateAsync(request, ct), f => $"/api/custom-fields/{f.Id}");

    private static async Task<Results<Ok<CustomField>, ProblemHttpResult, ValidationProblem>> Update(long id, CustomFieldRequest request, CustomFieldService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.UpdateAsync(id, request, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, CustomFieldService service, CancellationToken ct)
    {
        var result = await service.DeleteAsync(id, ct);
        return result.Status == CrmStatus.Ok ? TypedResults.NoContent() : Problems.NotFound(result.Detail!);
    }
}
