using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Crm;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Labels;

/// <summary>Labels (issue #16): the catalogue, and labels on conversations (one or many) and contacts.</summary>
public static class LabelsApi
{
    public sealed record LabelRequest(string? Name, string? Color);

    public sealed record SetLabelsRequest(long[]? LabelIds);

    public sealed record BulkLabelsRequest(long[]? ConversationIds, long[]? Add, long[]? Remove);

    public static IEndpointRouteBuilder MapLabelsApi(this IEndpointRouteBuilder app)
    {
        var labels = app.MapGroup("/api/labels").RequireAuthorization();
        labels.MapGet("/", List);
        labels.MapPost("/", Create).RequireAuthorization(Roles.StaffPolicy);
        labels.MapPatch("/{id:long}", Update).RequireAuthorization(Roles.StaffPolicy);
        labels.MapDelete("/{id:long}", Delete).RequireAuthorization(Roles.StaffPolicy);
        app.MapPut("/api/conversations/{id:long}/labels", SetOnConversation).RequireAuthorization();
        app.MapPost("/api/conversations/labels", Bulk).RequireAuthorization();
        app.MapPut("/api/contacts/{id:long}/labels", SetOnContact).RequireAuthorization();
        return app;
    }

    private static async Task<Ok<IReadOnlyList<LabelRef>>> List(LabelStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct));

    private static async Task<Results<Created<LabelRef>, ProblemHttpResult, ValidationProblem>> Create(LabelRequest? request, LabelStore store, CancellationToken ct) =>
        CrmHttp.Created(await store.CreateAsync(request?.Name, request?.Color, ct), l => $"/api/labels/{l.Id}");

    private static async Task<Results<Ok<LabelRef>, ProblemHttpResult, ValidationProblem>> Update(long id, LabelRequest request, LabelStore store, CancellationToken ct) =>
        CrmHttp.Ok(await store.UpdateAsync(id, request.Name, request.Color, ct)); // no body (or null): a 400, as every PATCH

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, LabelStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : Infrastructure.Problems.NotFound("There is no such label.");

    private static async Task<Results<Ok<ConversationLabels.Assigned>, ProblemHttpResult, ValidationProblem>> SetOnConversation(
        long id, SetLabelsRequest? request, ClaimsPrincipal principal, ConversationLabels service, CancellationToken ct) =>
        CrmHttp.Ok(await service.SetAsync(CurrentUser.From(principal), id, request?.LabelIds, ct));

    private static async Task<Results<Ok<ConversationLabels.BulkResult>, ProblemHttpResult, ValidationProblem>> Bulk(
        BulkLabelsRequest? request, ClaimsPrincipal principal, ConversationLabels service, CancellationToken ct) =>
        CrmHttp.Ok(await service.BulkAsync(CurrentUser.From(principal), request?.ConversationIds, request?.Add, request?.Remove, ct));

    private static async Task<Results<Ok<ConversationLabels.Assigned>, ProblemHttpResult, ValidationProblem>> SetOnContact(
        long id, SetLabelsRequest? request, ClaimsPrincipal principal, ConversationLabels service, CancellationToken ct) =>
        CrmHttp.Ok(await service.SetContactAsync(CurrentUser.From(principal), id, request?.LabelIds, ct));
}
