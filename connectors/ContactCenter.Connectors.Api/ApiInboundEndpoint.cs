using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Core;
using ContactCenter.Core.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ContactCenter.Connectors.Api;

/// <summary>`POST /api/inbound/{channelId}`: the generic integration channel's way in.</summary>
public static class ApiInboundEndpoint
{
    public sealed record InboundContact(string? ExternalId, string? Name, string? Email, string? Phone);

    public sealed record InboundBody(string? ExternalId, InboundContact? Contact, string? Text, DateTimeOffset? SentAt, string? ThreadKey);

    public sealed record Accepted(long MessageId, long ConversationId, bool Duplicate);

    // A member named twice ({"text": "a", "text": "b"}, or "text" and "Text") is refused as the app's own routes refuse it:
    // which of the two the integrator meant is not ours to guess, and the signed body would say both.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        AllowDuplicateProperties = false,
    };

    public static IEndpointRouteBuilder MapApiInbound(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/inbound/{channelId:long}", Receive).AllowAnonymous().RequireRateLimiting("webhooks");
        return app;
    }

    private static async Task<Results<Accepted<Accepted>, ProblemHttpResult, ValidationProblem>> Receive(
        long channelId, HttpRequest request, IChannelDirectory channels, IInboundPipeline pipeline, CancellationToken ct)
    {
        var channel = await channels.FindAsync(channelId, ct);
        if (channel is null || channel.Kind != ChannelKinds.Api)
        {
            return TypedResults.Problem("There is no api channel with this id.", statusCode: StatusCodes.Status404NotFound);
        }
        var body = await RawBody.ReadAsync(request.Body, request.ContentLength, ct);
        if (body is null)
        {
            return TypedResults.Problem("The request body is larger than 1 MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        if (!ApiSignature.Verify(channel.Setting("secret") ?? "", body, request.Headers[ApiSignature.Header]))
        {
            return TypedResults.Problem("The X-Signature header is missing or does not match the body.", statusCode: StatusCodes.Status401Unauthorized);
        }
        if (!channel.Enabled)
        {
            return TypedResults.Problem("This channel is disabled.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (request.ContentType is { Length: > 0 } && !request.HasJsonContentType())
        {
            return TypedResults.Problem("The request body must be JSON (Content-Type: application/json).", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        // A UTF-8 byte order mark (some Windows tools write one) is not part of the JSON; the signature covers it as sent.
        var json = body.AsSpan().StartsWith("\uFEFF"u8) ? body[3..] : body;
        InboundBody? payload;
        try
        {
            payload = JsonSerializer.Deserialize<InboundBody>(json, Json);
        }
        catch (JsonException e) when (e.Path is { Length: > 0 } twice && e.Message.Contains("uplicate", StringComparison.Ordinal))
        {
            // The words of the app's own routes (ErrorHandling): the path says which member.
            return TypedResults.Problem($"The request body names {twice} twice.", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (JsonException)
        {
            return TypedResults.Problem("The request body is not valid JSON.", statusCode: StatusCodes.Status400BadRequest);
        }
        var errors = Validate(payload);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "Some fields are not valid.");
        }
        var contact = payload!.Contact!;
        // In international form when it is a valid international number; any other phone (a national number, one with an
        // extension) as the integrator's system wrote it: the api channel does not guess a country.
        var phone = string.IsNullOrWhiteSpace(contact.Phone) ? null : E164.NormalizeValid(contact.Phone) ?? contact.Phone.Trim();
        var email = string.IsNullOrWhiteSpace(contact.Email) ? null : contact.Email.Trim();
        var message = new InboundMessage(channelId, payload.ExternalId!, payload.ThreadKey,
            new SenderIdentity(contact.ExternalId!, contact.Name, email, phone),
            payload.Text, Html: null, Attachments: [], payload.SentAt, ReplyToExternalId: null, System.Text.Encoding.UTF8.GetString(json));
        var result = await pipeline.IngestAsync(message, ct);
        return TypedResults.Accepted((string?)null, new Accepted(result.MessageId, result.ConversationId, result.Duplicate));
    }

    private static Dictionary<string, string[]> Validate(InboundBody? payload)
    {
        var errors = new Dictionary<string, string[]>();
        if (payload is null)
        {
            errors["body"] = ["A JSON object is required."];
            return errors;
        }
        if (string.IsNullOrWhiteSpace(payload.ExternalId) || payload.ExternalId.Length > 200)
        {
            errors["externalId"] = ["externalId is required (at most 200 characters)."];
        }
        // An id is compared, not read: with its control characters dropped (as text is stored) "a\u0000" would be "a",
        // another message's id, and the message would be taken for a redelivery and lost.
        else if (payload.ExternalId.Any(char.IsControl))
        {
            errors["externalId"] = ["externalId must not contain control characters (such as NUL)."];
        }
        if (string.IsNullOrWhiteSpace(payload.Contact?.ExternalId) || payload.Contact.ExternalId.Length > 200)
        {
            errors["contact.externalId"] = ["contact.externalId is required (at most 200 characters)."];
        }
        else if (payload.Contact.ExternalId.Any(char.IsControl))
        {
            errors["contact.externalId"] = ["contact.externalId must not contain control characters (such as NUL)."];
        }
        // Any length the 1 MB body holds: like every channel's message, a text over the pipeline's limit is cut, not refused.
        if (string.IsNullOrWhiteSpace(payload.Text))
        {
            errors["text"] = ["text is required."];
        }
        if (payload.Contact?.Email is { } email && !string.IsNullOrWhiteSpace(email) && !ContactAddresses.IsEmail(email.Trim()))
        {
            errors["contact.email"] = ["contact.email must be an email address, like anna@example.com."];
        }
        if (payload.Contact?.Phone is { } phone && !string.IsNullOrWhiteSpace(phone) && phone.Count(char.IsAsciiDigit) is < 7 or > 20)
        {
            errors["contact.phone"] = ["contact.phone must be a phone number (7 to 20 digits), best in international form (+14155550100)."];
        }
        if (payload.ThreadKey is { Length: > 200 })
        {
            errors["threadKey"] = ["threadKey is at most 200 characters."];
        }
        return errors;
    }
}
