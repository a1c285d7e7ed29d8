using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using static ContactCenter.Api.Features.Canned.CannedResponseStore;

namespace ContactCenter.Api.Features.Canned;

/// <summary>
/// Canned responses (issue #16): personal ones of each user and shared ones managed by admins and supervisors.
/// A response the caller may not see answers 404 on every route, exactly like one that does not exist.
/// </summary>
public static class CannedResponsesApi
{
    public static IEndpointRouteBuilder MapCannedResponsesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/canned-responses").RequireAuthorization();
        group.MapGet("/", List);
        group.MapPost("/", Create);
        group.MapPatch("/{id:long}", Patch);
        group.MapDelete("/{id:long}", Delete);
        group.MapPost("/{id:long}/render", Render);
        CannedFilesApi.Map(group);
        return app;
    }

    internal static ProblemHttpResult Missing() => Problems.NotFound("There is no such canned response.");

    internal static ProblemHttpResult SharedIsStaffs() => Problems.Forbidden("Only admins and supervisors change shared canned responses.");

    private static async Task<Ok<IReadOnlyList<CannedResponseDto>>> List(string? q, ClaimsPrincipal principal, CannedResponseStore store, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var rows = CannedSearch.Filter(await store.ListAsync(me, ct), q);
        return TypedResults.Ok(await DtosAsync(me, rows, store, ct));
    }

    private static async Task<Results<Created<CannedResponseDto>, ProblemHttpResult, ValidationProblem>> Create(
        CannedCreateRequest request, ClaimsPrincipal principal, CannedResponseStore store, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var shared = request.Shared ?? false;
        if (shared && !me.IsStaff)
        {
            return Problems.Forbidden("Only admins and supervisors create shared canned responses.");
        }
        var errors = new Validation();
        var shortcut = CannedInput.Shortcut(request.Shortcut, errors);
        var title = CannedInput.Title(request.Title, errors);
        var text = CannedInput.Text(request.Text, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        var (result, id) = await store.CreateAsync(me, shortcut!, title, text!, shared, ct);
        if (result == WriteResult.Duplicate)
        {
            return Duplicate(shortcut!, shared);
        }
        var dto = await OneAsync(me, id, store, ct);
        return TypedResults.Created($"/api/canned-responses/{id}", dto!);
    }

    private static async Task<Results<Ok<CannedResponseDto>, ProblemHttpResult, ValidationProblem>> Patch(
        long id, CannedPatchRequest request, ClaimsPrincipal principal, CannedResponseStore store, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var row = await store.GetAsync(me, id, ct);
        if (row is null)
        {
            return Missing();
        }
        if (row.Shared && !me.IsStaff)
        {
            return SharedIsStaffs();
        }
        var errors = new Validation();
        errors.Require("shared", request.Shared is null || request.Shared == row.Shared,
            "Whether a response is shared is fixed when it is created: create a new one instead.");
        var shortcut = request.Shortcut is null ? row.Shortcut : CannedInput.Shortcut(request.Shortcut, errors);
        var title = request.Title is null ? row.Title : CannedInput.Title(request.Title, errors);
        var text = request.Text is null ? row.Text : CannedInput.Text(request.Text, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        switch (await store.UpdateAsync(id, shortcut!, title, text!, ct))
        {
            case WriteResult.Duplicate:
                return Duplicate(shortcut!, row.Shared);
            case WriteResult.Missing:
                return Missing();
        }
        return TypedResults.Ok((await OneAsync(me, id, store, ct))!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        long id, ClaimsPrincipal principal, CannedResponseStore store, Storage.AttachmentStore files, ILogger<CannedResponseStore> logger, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var row = await store.GetAsync(me, id, ct);
        if (row is null)
        {
            return Missing();
        }
        if (row.Shared && !me.IsStaff)
        {
            return SharedIsStaffs();
        }
        var paths = await store.DeleteAsync(id, ct);
        if (paths is null)
        {
            return Missing();
        }
        CannedFilesApi.RemoveFiles(files, paths, logger);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CannedRenderResult>, ProblemHttpResult, ValidationProblem>> Render(
        long id, CannedRenderRequest request, ClaimsPrincipal principal, CannedResponseStore store, ConversationQueries conversations,
        CannedVariables variables, CannedFilesApi.Copier copier, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var row = await store.GetAsync(me, id, ct);
        if (row is null)
        {
            return Missing();
        }
        if (request.ConversationId is not { } conversationId)
        {
            var errors = new Validation();
            errors.Add("conversationId", "conversationId is required.");
            return errors.ToResult();
        }
        if (!await conversations.CanSeeAsync(me, conversationId, ct))
        {
            return Problems.NotFound("There is no such conversation.");
        }
        var text = CannedVariables.Fill(row.Text, await variables.ValuesAsync(me, conversationId, ct));
        var attachments = await copier.CopyAsync(me, id, conversationId, ct);
        return TypedResults.Ok(new CannedRenderResult(text, attachments));
    }

    private static ProblemHttpResult Duplicate(string shortcut, bool shared) => Problems.Conflict(shared
        ? $"A shared canned response already uses the shortcut /{shortcut}."
        : $"You already have a canned response with the shortcut /{shortcut}.");

    internal static async Task<CannedResponseDto?> OneAsync(CurrentUser me, long id, CannedResponseStore store, CancellationToken ct) =>
        await store.GetAsync(me, id, ct) is { } row ? (await DtosAsync(me, [row], store, ct))[0] : null;

    private static async Task<IReadOnlyList<CannedResponseDto>> DtosAsync(CurrentUser me, IReadOnlyList<Row> rows, CannedResponseStore store, CancellationToken ct)
    {
        var files = (await store.FilesAsync(rows.Select(r => r.Id).ToList(), ct)).ToLookup(f => f.CannedResponseId);
        return rows.Select(r => new CannedResponseDto(r.Id, r.Shortcut, r.Title, r.Text, r.Shared, !r.Shared || me.IsStaff,
            files[r.Id].Select(f => new CannedFileDto(f.Id, f.FileName, f.ContentType, f.Size)).ToList(), r.CreatedAt, r.UpdatedAt)).ToList();
    }
}
