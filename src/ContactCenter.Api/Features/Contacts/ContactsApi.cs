using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Contacts;

public static class ContactsApi
{
    public sealed record MergeRequest(long? OtherContactId);

    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/contacts").RequireAuthorization().MapPost("/{id:long}/merge", Merge);
        return app;
    }

    /// <summary>`{otherContactId}` is merged into `{id}` (which survives); 404 unless the caller may see both.</summary>
    private static async Task<Results<Ok<ContactDetails>, ProblemHttpResult, ValidationProblem>> Merge(
        long id, MergeRequest? request, ClaimsPrincipal principal, ContactMergeService service, CancellationToken ct)
    {
        if (request?.OtherContactId is not { } otherId || otherId <= 0)
        {
            return CrmHttp.Invalid("otherContactId", "otherContactId (the id of the contact to merge into this one) is required.");
        }
        return CrmHttp.Ok(await service.MergeAsync(CurrentUser.From(principal), id, otherId, ct));
    }
}
