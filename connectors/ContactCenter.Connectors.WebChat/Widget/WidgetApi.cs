using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// The visitor side of the web chat: a session (a signed visitor token), sending and reading the visitor's
/// own messages, and the name/email they give. Every call is checked against the channel's allowed origins
/// and rate-limited per IP and per visitor; nothing is stored when a call is refused.
/// </summary>
public static class WidgetApi
{
    public sealed record SessionRequest(string? VisitorId, string? Name, string? Email, string? Identifier, string? IdentifierHash);

    public sealed record SessionResponse(string VisitorToken, DateTimeOffset ExpiresAt, string VisitorId, long? ConversationId,
        bool Verified, string? Greeting, string? Title, string? Color)
    {
        /// <summary>`en`, `ru` or `auto` (the visitor's browser language).</summary>
        public string Language { get; init; } = "auto";

        /// <summary>The channel's per-language overrides of the widget's texts, or null.</summary>
        public JsonNode? Strings { get; init; }

        public PreChatForm PreChat { get; init; } = PreChatForm.Off;

        /// <summary>What the offline form tells the visitor about when to expect an answer; null: the widget's own text.</summary>
        public string? OfflineMessage { get; init; }

        /// <summary>The largest file a visitor may upload, in bytes.</summary>
        public long MaxUploadBytes { get; init; }
    }

    public sealed record SendRequest(string? Text, string? ClientMessageId);

    public sealed record ProfileRequest(string? Name, string? Email);

    public const int MaxIdentifierLength = 200;

    public static IEndpointRouteBuilder MapWidgetApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/widget").AllowAnonymous().WithSiteCors();
        group.MapPost("/{widgetKey}/session", Session);
        group.MapPost("/messages", Send);
        group.MapGet("/messages", List);
        group.MapPost("/profile", Profile);
        group.MapWidgetForms();
        group.MapWidgetFiles();
        group.MapWidgetCsat();
        return app;
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult, ValidationProblem>> Session(
        string widgetKey, SessionRequest? request, HttpContext http, IChannelDirectory channels, VisitorTokens tokens,
        SiteRateLimiter limiter, IWebChatStore store, IOptions<WebChatOptions> options, CancellationToken ct)
    {
        var channel = await channels.FindByPublicKeyAsync(widgetKey, ct);
        if (WidgetChannels.Check(channel, http.Request, ChannelKinds.Webchat) is { } refused)
        {
            return refused;
        }
        if (await limiter.HitAsync(("session-ip", SiteRateLimiter.ClientIp(http), options.Value.SessionsPerIp)) is { } wait)
        {
            return SiteRateLimiter.TooMany(http, wait);
        }
        request ??= new SessionRequest(null, null, null, null, null);
        var name = ContactFields.Clean(request.Name);
        var email = ContactFields.Clean(request.Email);
        var identifier = ContactFields.Clean(request.Identifier);
        var errors = ValidateProfile(name, email);
        if (identifier is { Length: > MaxIdentifierLength })
        {
            errors["identifier"] = [$"identifier is at most {MaxIdentifierLength} characters."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "Some fields are not valid.");
        }
        Visitor visitor;
        if (identifier is not null)
        {
            if (!IdentifierHash.Verify(channel!.Setting("secret"), identifier, request.IdentifierHash))
            {
                return TypedResults.Problem("identifierHash does not match the identifier (HMAC-SHA256 with the channel's secret).", statusCode: StatusCodes.Status401Unauthorized);
            }
            visitor = new Visitor(channel.Id, $"user:{channel.Id}:{identifier}");
        }
        else
        {
            // A visitorId from another channel, or no longer valid, starts a new visitor rather than failing the widget.
            var returning = tokens.ReadVisitorId(request.VisitorId);
            visitor = returning is not null && returning.ChannelId == channel!.Id && returning.Key.StartsWith("visitor:", StringComparison.Ordinal)
                ? returning
                : new Visitor(channel!.Id, "visitor:" + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16)));
        }
        if (name is not null || email is not null)
        {
            await store.SaveProfileAsync(visitor, name, email, ct);
        }
        var (token, expiresAt) = tokens.IssueToken(visitor);
        return TypedResults.Ok(new SessionResponse(token, expiresAt, tokens.IssueVisitorId(visitor), await store.ConversationOfAsync(visitor, ct),
            identifier is not null, channel.Setting("greeting"), channel.Setting("title"), channel.Setting("color"))
        {
            Language = WidgetSettings.Language(channel.Settings),
            Strings = channel.Settings["strings"]?.DeepClone(),
            PreChat = WidgetSettings.PreChat(channel.Settings),
            OfflineMessage = channel.Setting("offlineMessage"),
            MaxUploadBytes = options.Value.MaxUploadBytes,
        });
    }

    private static async Task<Results<Created<WidgetMessage>, ProblemHttpResult, ValidationProblem>> Send(
        SendRequest? request, HttpContext http, WidgetGate gate, IWebChatStore store, VisitorMessages messages, IOptions<WebChatOptions> options,
        CancellationToken ct)
    {
        var limits = options.Value;
        var (visitor, channel, refused) = await gate.AdmitAsync(http, WidgetGate.Budget.WritesAndIp, ct);
        if (visitor is null)
        {
            return refused!;
        }
        var text = request?.Text;
        // Only invisible characters (zero-width spaces, joiners, a BOM) look as empty to the manager as blanks do.
        if (string.IsNullOrWhiteSpace(text) || text.All(c => char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["text is required."] }, detail: "The message is empty.");
        }
        if (text.Length > limits.MaxTextLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [$"text is at most {limits.MaxTextLength} characters."] },
                detail: $"The message is longer than {limits.MaxTextLength} characters.");
        }
        var clientMessageId = request!.ClientMessageId ?? Guid.NewGuid().ToString("N");
        if (!VisitorMessageIds.IsValid(clientMessageId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["clientMessageId"] = ["clientMessageId is 1 to 100 characters, without control characters."] });
        }
        if (await VisitorDetails.PreChatMissingAsync(channel!, visitor, store, ct) is { } fillFirst)
        {
            return fillFirst;
        }
        var message = await messages.IngestAsync(new VisitorMessages.Draft(visitor, clientMessageId, text, []), http, ct);
        return TypedResults.Created((string?)null, message);
    }

    private static async Task<Results<Ok<WidgetPage>, ProblemHttpResult>> List(
        string? cursor, int? limit, HttpContext http, WidgetGate gate, IWebChatStore store, CancellationToken ct)
    {
        var (visitor, _, refused) = await gate.AdmitAsync(http, WidgetGate.Budget.Reads, ct);
        if (visitor is null)
        {
            return refused!;
        }
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return TypedResults.Problem("The cursor is not valid.", statusCode: StatusCodes.Status400BadRequest);
            }
            before = id;
        }
        return TypedResults.Ok(await store.ListAsync(visitor, Math.Clamp(limit ?? 50, 1, 100), before, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Profile(
        ProfileRequest? request, HttpContext http, WidgetGate gate, IWebChatStore store, CancellationToken ct)
    {
        var (visitor, _, refused) = await gate.AdmitAsync(http, WidgetGate.Budget.Writes, ct);
        if (visitor is null)
        {
            return refused!;
        }
        var name = ContactFields.Clean(request?.Name);
        var email = ContactFields.Clean(request?.Email);
        var errors = ValidateProfile(name, email);
        if (name is null && email is null)
        {
            errors["email"] = ["Give a name or an email."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "Some fields are not valid.");
        }
        await store.SaveProfileAsync(visitor, name, email, ct);
        return TypedResults.NoContent();
    }

    private static Dictionary<string, string[]> ValidateProfile(string? name, string? email)
    {
        var errors = new Dictionary<string, string[]>();
        if (name is { Length: > ContactFields.MaxNameLength })
        {
            errors["name"] = [$"name is at most {ContactFields.MaxNameLength} characters."];
        }
        if (email is not null && !ContactAddresses.IsEmail(email))
        {
            errors["email"] = ["email is not a valid email address."];
        }
        return errors;
    }
}
