using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Contacts;

public static class ContactsApi
{
    public sealed record MergeRequest(long? OtherContactId);

    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup("/api/contacts").RequireAuthorization();
        contacts.MapGet("/{id:long}", Get);
        contacts.MapPatch("/{id:long}", Patch);
        contacts.MapPost("/{id:long}/merge", Merge);
        return app;
    }

    /// <summary>The contact profile: 404 unless the caller sees one of its conversations, leads or deals.</summary>
    private static async Task<Results<Ok<ContactProfile>, ProblemHttpResult>> Get(long id, ClaimsPrincipal principal, ContactProfileService profiles, CancellationToken ct) =>
        await profiles.GetAsync(CurrentUser.From(principal), id, ct) is { } profile ? TypedResults.Ok(profile) : Problems.NotFound("There is no such contact.");

    /// <summary>Edits name, email or phone (only the fields sent); same visibility as GET.</summary>
    private static async Task<Results<Ok<ContactProfile>, ProblemHttpResult, ValidationProblem>> Patch(
        long id, ContactPatch request, ClaimsPrincipal principal, ContactProfileService profiles, CancellationToken ct) =>
        CrmHttp.Ok(await profiles.PatchAsync(CurrentUser.From(principal), id, request, ct));

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
