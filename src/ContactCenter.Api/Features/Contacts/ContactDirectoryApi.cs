using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// Contacts as a place to work (issue #17): the list, contacts made by hand, and a contact's conversations, deals, leads
/// and timeline. Each answers 404 for a contact the caller may not see, exactly as for a missing id.
/// </summary>
public static class ContactDirectoryApi
{
    public static IEndpointRouteBuilder MapContactDirectoryApi(this IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup("/api/contacts").RequireAuthorization();
        contacts.MapGet("/", List).RequireReadGate(ReadGates.Lists);
        contacts.MapPost("/", Create);
        contacts.MapGet("/{id:long}/conversations", async (long id, ClaimsPrincipal p, ContactProfileService s, CancellationToken ct) =>
            Part(await s.GetAsync(CurrentUser.From(p), id, ct), c => c.Conversations));
        contacts.MapGet("/{id:long}/deals", async (long id, ClaimsPrincipal p, ContactProfileService s, CancellationToken ct) =>
            Part(await s.GetAsync(CurrentUser.From(p), id, ct), c => c.Deals));
        contacts.MapGet("/{id:long}/leads", async (long id, ClaimsPrincipal p, ContactProfileService s, CancellationToken ct) =>
            Part(await s.GetAsync(CurrentUser.From(p), id, ct), c => c.Leads));
        contacts.MapGet("/{id:long}/timeline", Timeline);
        return app;
    }

    private static async Task<Results<Ok<Page<ContactListItem>>, ValidationProblem>> List(
        string? q, int? limit, string? cursor, ClaimsPrincipal principal, ContactDirectory contacts, CancellationToken ct)
    {
        if (q is { Length: > ContactSearch.MaxLength })
        {
            return CrmHttp.Invalid("q", $"q is at most {ContactSearch.MaxLength} characters.");
        }
        return TypedResults.Ok(await contacts.ListAsync(CurrentUser.From(principal), q, PipelinesApi.Limit(limit), cursor, ct));
    }

    private static async Task<Results<Created<ContactProfile>, ProblemHttpResult, ValidationProblem>> Create(
        ContactDirectory.CreateRequest request, ClaimsPrincipal principal, ContactDirectory contacts, CancellationToken ct) =>
        CrmHttp.Created(await contacts.CreateAsync(CurrentUser.From(principal), request, ct), c => $"/api/contacts/{c.Id}");

    private static Results<Ok<IReadOnlyList<T>>, ProblemHttpResult> Part<T>(ContactProfile? profile, Func<ContactProfile, IReadOnlyList<T>> part) =>
        profile is null ? Problems.NotFound("There is no such contact.") : TypedResults.Ok(part(profile));

    private static async Task<Results<Ok<Page<TimelineEntryDto>>, ProblemHttpResult>> Timeline(
        long id, int? limit, string? cursor, ClaimsPrincipal principal, ContactDirectory contacts, CancellationToken ct) =>
        await contacts.TimelineAsync(CurrentUser.From(principal), id, PipelinesApi.Limit(limit), cursor, ct) is { } page
            ? TypedResults.Ok(page)
            : Problems.NotFound("There is no such contact.");
}
