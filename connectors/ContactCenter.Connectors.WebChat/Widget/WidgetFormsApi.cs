using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// The widget's forms, with the visitor token: the pre-chat form (asked before the first message when the channel
/// wants it), whether anyone is online, and the offline form (when nobody is) that starts the conversation like a message.
/// What the visitor types is kept as their unverified details, exactly like the session's name/email.
/// </summary>
public static class WidgetFormsApi
{
    public sealed record PreChatRequest(string? Name, string? Email, string? Phone);

    public sealed record OfflineRequest(string? Name, string? Email, string? Phone, string? Text, string? ClientMessageId);

    public sealed record PresenceResponse(bool Online);

    public sealed record OfflineResponse(WidgetMessage Message, string? OfflineMessage);

    public static RouteGroupBuilder MapWidgetForms(this RouteGroupBuilder group)
    {
        group.MapPost("/prechat", PreChat);
        group.MapGet("/presence", Presence);
        group.MapPost("/offline", Offline);
        return group;
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> PreChat(
        PreChatRequest? request, HttpContext http, WidgetGate gate, IWebChatStore store, CancellationToken ct)
    {
        var (visitor, channel, refused) = await gate.AdmitAsync(http, WidgetGate.Budget.Writes, ct);
        if (visitor is null)
        {
            return refused!;
        }
        var (details, errors) = VisitorDetails.Read(request?.Name, request?.Email, request?.Phone);
        var form = WidgetSettings.PreChat(channel!.Settings);
        details.RequireFor(form with { Enabled = true }, new VisitorProfile(), errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "Some fields are not valid.");
        }
        if (details.Name is not null || details.Email is not null || details.Phone is not null)
        {
            await store.SaveProfileAsync(visitor, details.Name, details.Email, ct, details.Phone);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<PresenceResponse>, ProblemHttpResult>> Presence(
        HttpContext http, WidgetGate gate, IChannelPresence presence, CancellationToken ct)
    {
        var (visitor, _, refused) = await gate.AdmitAsync(http, WidgetGate.Budget.Reads, ct);
        if (visitor is null)
        {
            return refused!;
        }
        return TypedResults.Ok(new PresenceResponse(await presence.AnyMemberOnlineAsync(visitor.ChannelId, ct)));
    }

    private static async Task<Results<Created<OfflineResponse>, ProblemHttpResult, ValidationProblem>> Offline(
        OfflineRequest? request, HttpContext http, WidgetGate gate, IWebChatStore store, VisitorMessages messages, IOptions<WebChatOptions> options,
        CancellationToken ct)
    {
        var limits = options.Value;
        var (visitor, channel, refused) = await gate.AdmitAsync(http, WidgetGate.Budget.WritesAndIp, ct);
        if (visitor is null)
        {
            return refused!;
        }
        var (details, errors) = VisitorDetails.Read(request?.Name, request?.Email, request?.Phone);
        var known = await store.ProfileAsync(visitor, ct);
        details.RequireFor(WidgetSettings.PreChat(channel!.Settings), known, errors);
        if (details.Email is null && details.Phone is null && known.Email is null && known.Phone is null && !errors.ContainsKey("email") && !errors.ContainsKey("phone"))
        {
            // Nobody is online to answer in the chat: without a way to reach the visitor the answer would be lost.
            errors["email"] = ["Give an email or a phone so we can answer."];
        }
        var text = ContactFields.Clean(request?.Text);
        if (text is null)
        {
            errors["text"] = ["text is required."];
        }
        else if (text.Length > limits.MaxTextLength)
        {
            errors["text"] = [$"text is at most {limits.MaxTextLength} characters."];
        }
        var clientMessageId = request?.ClientMessageId ?? Guid.NewGuid().ToString("N");
        if (!VisitorMessageIds.IsValid(clientMessageId))
        {
            errors["clientMessageId"] = ["clientMessageId is 1 to 100 characters, without control characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "Some fields are not valid.");
        }
        if (details.Name is not null || details.Email is not null || details.Phone is not null)
        {
            await store.SaveProfileAsync(visitor, details.Name, details.Email, ct, details.Phone);
        }
        var message = await messages.IngestAsync(new VisitorMessages.Draft(visitor, clientMessageId, text, [],
            new Dictionary<string, string> { ["form"] = "offline" }), http, ct);
        return TypedResults.Created((string?)null, new OfflineResponse(message, channel.Setting("offlineMessage")));
    }
}
