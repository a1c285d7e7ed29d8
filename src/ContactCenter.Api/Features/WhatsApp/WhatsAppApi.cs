using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Connectors.WhatsApp;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.WhatsApp;

/// <summary>
/// What the composer needs on a whatsapp conversation, for whoever may reply to it (the conversation's visibility rule):
/// `GET /api/conversations/{id}/whatsapp` (the 24-hour window, opt-out), `GET .../whatsapp/templates` (the account's
/// approved templates) and `POST .../whatsapp/template` (send one with its body parameters, through the outbox).
/// </summary>
public static class WhatsAppApi
{
    public const int MaxParameters = 20;

    public const int MaxParameterLength = 1024;

    public sealed record WindowDto(bool WindowOpen, DateTimeOffset? LastInboundAt, DateTimeOffset? WindowClosesAt, bool OptedOut, bool TemplatesAvailable);

    public sealed record TemplateDto(string Name, string Language, string Category, string Body, int ParameterCount);

    public sealed record TemplateRequest(string? Name, string? Language, string[]? Parameters, string? ClientMessageId);

    public static IEndpointRouteBuilder MapWhatsAppApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/conversations/{id:long}/whatsapp").RequireAuthorization();
        group.MapGet("/", GetWindow);
        group.MapGet("/templates", ListTemplates);
        group.MapPost("/template", SendTemplate);
        return app;
    }

    private sealed record Target(ChannelInfo Channel, WhatsAppWindow.State Window);

    /// <summary>The conversation's whatsapp channel and window; 404 when the caller cannot see it, 409 when it is not on whatsapp.</summary>
    private static async Task<(Target? Target, ProblemHttpResult? Problem)> FindAsync(long id, ClaimsPrincipal principal, ConversationQueries queries,
        WhatsAppWindow window, IChannelDirectory channels, CancellationToken ct)
    {
        if (!await queries.CanSeeAsync(CurrentUser.From(principal), id, ct))
        {
            return (null, Problems.NotFound("There is no such conversation."));
        }
        if (await window.GetAsync(id, ct) is not { } state || await channels.FindAsync(state.ChannelId, ct) is not { } channel)
        {
            return (null, TypedResults.Problem("This conversation is not on a WhatsApp channel.", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["code"] = "not-whatsapp" }));
        }
        return (new Target(channel, state), null);
    }

    private static async Task<Results<Ok<WindowDto>, ProblemHttpResult>> GetWindow(long id, ClaimsPrincipal principal, ConversationQueries queries,
        WhatsAppWindow window, IChannelDirectory channels, WhatsAppOptOutStore optOuts, CancellationToken ct)
    {
        var (target, problem) = await FindAsync(id, principal, queries, window, channels, ct);
        if (target is null)
        {
            return problem!;
        }
        var optedOut = await optOuts.CheckAsync(id, ConversationService.ReplyParts.None, ct) is not null;
        return TypedResults.Ok(new WindowDto(target.Window.Open, target.Window.LastInboundAt, target.Window.ClosesAt, optedOut,
            WhatsAppSettings.From(target.Channel).BusinessAccountId is not null));
    }

    private static async Task<Results<Ok<List<TemplateDto>>, ProblemHttpResult>> ListTemplates(long id, ClaimsPrincipal principal, ConversationQueries queries,
        WhatsAppWindow window, IChannelDirectory channels, WhatsAppTemplateClient templates, CancellationToken ct)
    {
        var (target, problem) = await FindAsync(id, principal, queries, window, channels, ct);
        if (target is null)
        {
            return problem!;
        }
        var (list, error) = await templates.ListAsync(target.Channel, ct);
        return list is null
            ? Unavailable(error!)
            : TypedResults.Ok(list.Select(t => new TemplateDto(t.Name, t.Language, t.Category, t.Body, t.ParameterCount)).ToList());
    }

    private static async Task<Results<Accepted<MessageDto>, ProblemHttpResult, ValidationProblem>> SendTemplate(long id, TemplateRequest request,
        ClaimsPrincipal principal, ConversationQueries queries, WhatsAppWindow window, IChannelDirectory channels, WhatsAppTemplateClient templates,
        ConversationService service, CancellationToken ct)
    {
        var errors = new Validation();
        errors.Require("name", request.Name is { Length: > 0 and <= 512 }, "name is the template's name (at most 512 characters).");
        errors.Require("language", request.Language is { Length: > 0 and <= 15 }, "language is the template's language code, such as en_US or ru.");
        var parameters = request.Parameters ?? [];
        errors.Require("parameters", parameters.Length <= MaxParameters && parameters.All(p => !string.IsNullOrWhiteSpace(p) && p.Length <= MaxParameterLength && !p.Contains('\0')),
            $"parameters are at most {MaxParameters} non-empty texts of at most {MaxParameterLength} characters.");
        errors.Require("clientMessageId", request.ClientMessageId is null or { Length: <= 100 }, "clientMessageId is at most 100 characters.");
        if (errors.HasErrors)
        {
            return errors.ToResult();
        }
        var (target, problem) = await FindAsync(id, principal, queries, window, channels, ct);
        if (target is null)
        {
            return problem!;
        }
        var (list, error) = await templates.ListAsync(target.Channel, ct);
        if (list is null)
        {
            return Unavailable(error!);
        }
        var template = list.FirstOrDefault(t => t.Name == request.Name && t.Language == request.Language);
        if (template is null)
        {
            errors.Add("name", $"There is no approved template {request.Name} in {request.Language} on this WhatsApp Business Account.");
            return errors.ToResult();
        }
        if (parameters.Length != template.ParameterCount)
        {
            errors.Add("parameters", $"The template {template.Name} takes {template.ParameterCount} parameter(s), {parameters.Length} given.");
            return errors.ToResult();
        }
        var chosen = new WhatsAppTemplate.Chosen(template.Name, template.Language, parameters);
        var text = template.Render(parameters);
        var result = await service.ReplyAsync(CurrentUser.From(principal), id, string.IsNullOrWhiteSpace(text) ? $"[Template {template.Name}]" : text,
            request.ClientMessageId, isPrivate: false, ct,
            parts: new ConversationService.ReplyParts([], null, new Dictionary<string, string> { [WhatsAppTemplate.MetadataKey] = chosen.ToJson() }));
        return result.Error switch
        {
            ConversationService.ReplyError.None => TypedResults.Accepted($"/api/conversations/{id}/messages", result.Message!),
            ConversationService.ReplyError.NotFound => Problems.NotFound(result.Detail!),
            ConversationService.ReplyError.Refused => ConversationsApi.Refused(result),
            ConversationService.ReplyError.Forbidden => Problems.Forbidden(result.Detail!),
            _ => Invalid(result.Field ?? "parameters", result.Detail!),
        };
    }

    private static ValidationProblem Invalid(string field, string detail)
    {
        var v = new Validation();
        v.Add(field, detail);
        return v.ToResult(detail);
    }

    /// <summary>424: the request was fine, the provider (or the channel's set-up) was not.</summary>
    private static ProblemHttpResult Unavailable(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status424FailedDependency,
        extensions: new Dictionary<string, object?> { ["code"] = "whatsapp-templates-unavailable" });
}
