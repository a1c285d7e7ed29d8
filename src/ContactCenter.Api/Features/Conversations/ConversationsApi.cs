using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using static ContactCenter.Api.Features.Conversations.ConversationActions;
using static ContactCenter.Api.Features.Conversations.ConversationService;

namespace ContactCenter.Api.Features.Conversations;

public static class ConversationsApi
{
    public sealed record ReplyRequest(string? Text, string? ClientMessageId, bool? Private, long[]? AttachmentIds = null, long? ReplyToMessageId = null,
        long[]? MentionUserIds = null);

    public sealed record ReadRequest(long? UpToMessageId);

    public sealed record AssignRequest(long? UserId);

    public sealed record StatusRequest(string? Status);

    public static IEndpointRouteBuilder MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/conversations").RequireAuthorization();
        group.MapGet("/", List).RequireReadGate();
        group.MapGet("/{id:long}", Get).RequireReadGate();
        group.MapGet("/{id:long}/messages", Messages).RequireReadGate();
        group.MapPost("/{id:long}/messages", Reply);
        group.MapPost("/{id:long}/read", Read);
        group.MapPost("/{id:long}/assign", Assign);
        group.MapPost("/{id:long}/status", Status);
        group.MapSnoozeApi();
        app.MapPost("/api/messages/{id:long}/retry", Retry).RequireAuthorization();
        app.MapGet("/api/counters", GetCounters).RequireAuthorization().RequireReadGate();
        return app;
    }

    internal static int ClampLimit(int? limit) => Math.Clamp(limit ?? 50, 1, 200);

    private static async Task<Results<Ok<Page<ConversationSummary>>, ValidationProblem>> List(
        ClaimsPrincipal principal, ConversationQueries queries, string? view, string? status, long? channelId, string? q, int? limit, string? cursor,
        string? sort, string? assigneeId, string? from, string? to, bool? unread, long? labelId, CancellationToken ct)
    {
        var errors = new Validation();
        var me = CurrentUser.From(principal);
        errors.Require(nameof(view), view is null or "mine" or "unassigned" or "all", "View must be mine, unassigned or all.");
        errors.Require(nameof(status), status is null or "open" or "pending" or "snoozed" or "resolved", "Status must be open, pending, snoozed or resolved.");
        var filter = ConversationListFilter.FromQuery(me, sort, assigneeId, from, to, unread, errors);
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        var page = await queries.ListAsync(me,
            new ConversationQueries.ListQuery(view ?? "all", status, channelId, q, ClampLimit(limit), cursor, filter) { LabelId = labelId }, ct);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<ConversationDetails>, ProblemHttpResult>> Get(long id, ClaimsPrincipal principal, ConversationQueries queries, CancellationToken ct) =>
        await queries.GetAsync(CurrentUser.From(principal), id, ct) is { } details
            ? TypedResults.Ok(details)
            : Problems.NotFound("There is no such conversation.");

    /// <summary>The newest page, an older one (`cursor`), the page around a message (`around`, search hits) or a newer one (`after`).</summary>
    private static async Task<Results<Ok<Page<MessageDto>>, Ok<MessageWindow>, ProblemHttpResult>> Messages(
        long id, ClaimsPrincipal principal, ConversationQueries queries, MessageQueries messages, int? limit, string? cursor, long? around, string? after, CancellationToken ct)
    {
        if (!await queries.CanSeeAsync(CurrentUser.From(principal), id, ct))
        {
            return Problems.NotFound("There is no such conversation.");
        }
        if (around is not null)
        {
            return await messages.AroundAsync(id, around.Value, ClampLimit(limit), ct) is { } window
                ? TypedResults.Ok(window)
                : Problems.NotFound("There is no such message in this conversation.");
        }
        if (!string.IsNullOrEmpty(after))
        {
            return TypedResults.Ok(await messages.NewerAsync(id, ClampLimit(limit), after, ct));
        }
        return TypedResults.Ok(await messages.ListAsync(id, ClampLimit(limit), cursor, ct));
    }

    private static async Task<Results<Accepted<MessageDto>, ProblemHttpResult, ValidationProblem>> Reply(
        long id, ReplyRequest request, ClaimsPrincipal principal, ConversationService service, CancellationToken ct)
    {
        var result = await service.ReplyAsync(CurrentUser.From(principal), id, request.Text, request.ClientMessageId, request.Private ?? false, ct,
            parts: new ReplyParts(request.AttachmentIds ?? [], request.ReplyToMessageId, MentionUserIds: request.MentionUserIds));
        return result.Error switch
        {
            ReplyError.None => TypedResults.Accepted($"/api/conversations/{id}/messages", result.Message!),
            ReplyError.NotFound => Problems.NotFound(result.Detail!),
            ReplyError.Refused => Refused(result),
            ReplyError.Forbidden => Problems.Forbidden(result.Detail!),
            _ => Invalid(result.Field ?? "text", result.Detail!),
        };
    }

    /// <summary>409 with the guard's reason, and its `code` when it has one (clients act on it, e.g. offer WhatsApp templates).</summary>
    internal static ProblemHttpResult Refused(ReplyResult result) => result.Code is { } code
        ? TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status409Conflict, extensions: new Dictionary<string, object?> { ["code"] = code })
        : Problems.Conflict(result.Detail!);

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Read(long id, ReadRequest? request, ClaimsPrincipal principal, ConversationActions service, CancellationToken ct) =>
        ToResult(await service.MarkReadAsync(CurrentUser.From(principal), id, request?.UpToMessageId, ct), "upToMessageId");

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Assign(long id, AssignRequest request, ClaimsPrincipal principal, ConversationActions service, CancellationToken ct) =>
        ToResult(await service.AssignAsync(CurrentUser.From(principal), id, request.UserId, ct), "userId");

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Status(long id, StatusRequest request, ClaimsPrincipal principal, ConversationActions service,
        HttpRequest http, IHostEnvironment environment, CancellationToken ct) =>
        // The CSAT link of an email or SMS is built on Channels:PublicBaseUrl. Only on a developer's or a test's machine may
        // the address this request came to stand in for it: elsewhere the Host header is the caller's to choose, and a
        // manager could have the company's own channel send customers a link to any site.
        ToResult(await service.SetStatusAsync(CurrentUser.From(principal), id, request.Status,
            environment.IsDevelopment() || environment.IsEnvironment("Testing") ? $"{http.Scheme}://{http.Host.ToUriComponent()}{http.PathBase.ToUriComponent()}" : null, ct), "status");

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Retry(long id, ClaimsPrincipal principal, ConversationActions service, CancellationToken ct) =>
        ToResult(await service.RetryAsync(CurrentUser.From(principal), id, ct), "id");

    private static async Task<Ok<Counters>> GetCounters(ClaimsPrincipal principal, ICurrentCounters counters, CancellationToken ct) =>
        TypedResults.Ok(await counters.ReadAsync(CurrentUser.From(principal).Id, ct));

    private static Results<NoContent, ProblemHttpResult, ValidationProblem> ToResult((ChangeError Error, string? Detail) result, string field) => result.Error switch
    {
        ChangeError.None => TypedResults.NoContent(),
        ChangeError.NotFound => Problems.NotFound(result.Detail!),
        ChangeError.Forbidden => Problems.Forbidden(result.Detail!),
        ChangeError.Conflict => Problems.Conflict(result.Detail!),
        _ => Invalid(field, result.Detail!),
    };

    private static ValidationProblem Invalid(string field, string detail)
    {
        var v = new Validation();
        v.Add(field, detail);
        return v.ToResult(detail);
    }
}
