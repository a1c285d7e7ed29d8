using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// The refusals of the public routes, which check their callers themselves and so leave no metadata: a rate-limited
/// route answers 429; a provider's webhook (and the api channel's inbound route) 401 for a missing or wrong signature or
/// secret, 403 for a disabled channel or another account, 413 for a body over the limit, 415 for a body Twilio would not send
/// or JSON in a charset the server cannot decode (the JSON webhooks do not check the declared type); the web-chat widget's routes 401
/// without a valid visitor token, 403 from a site not allowed or for a disabled channel, 429 over the visitor's budget.
/// </summary>
public sealed class PublicResponsesTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var path = "/" + (description.RelativePath ?? "").TrimStart('/');
        var webhook = path.StartsWith("/webhooks/", StringComparison.Ordinal) || path.StartsWith("/api/inbound/", StringComparison.Ordinal);
        var widget = path.StartsWith("/api/widget/", StringComparison.Ordinal);
        if (webhook)
        {
            await ProblemResponse.AddAsync(operation, context, StatusCodes.Status401Unauthorized,
                "The signature or shared secret is missing or does not match.", cancellationToken);
            await ProblemResponse.AddAsync(operation, context, StatusCodes.Status403Forbidden,
                "The channel is disabled, or the post is for another account or community (Twilio's webhooks also answer a wrong signature with 403).",
                cancellationToken);
            if (description.HttpMethod == HttpMethods.Post)
            {
                await ProblemResponse.AddAsync(operation, context, StatusCodes.Status413PayloadTooLarge, "The body is over the size limit.", cancellationToken);
                await ProblemResponse.AddAsync(operation, context, StatusCodes.Status415UnsupportedMediaType,
                    "Twilio's webhooks: the body is not a form. Any webhook: a JSON body in a charset the server cannot decode. (The api channel, "
                    + "Telegram, WhatsApp and VK read the body as JSON whatever its declared type.)", cancellationToken);
            }
        }
        if (widget)
        {
            if (!path.EndsWith("/session", StringComparison.Ordinal))
            {
                await ProblemResponse.AddAsync(operation, context, StatusCodes.Status401Unauthorized, "No valid visitor token.", cancellationToken);
            }
            await ProblemResponse.AddAsync(operation, context, StatusCodes.Status403Forbidden,
                "The page's site is not allowed for this widget, or the channel is disabled.", cancellationToken);
        }
        if (widget || description.ActionDescriptor.EndpointMetadata.OfType<EnableRateLimitingAttribute>().Any()
            || description.ActionDescriptor.EndpointMetadata.OfType<ReadGates.Gate>().Any())
        {
            await ProblemResponse.AddAsync(operation, context, StatusCodes.Status429TooManyRequests,
                "Too many requests; `Retry-After` says when to try again.", cancellationToken);
            // Every 429 of the service says when to try again (the rate limiter, the read gates, the widget's budget).
            if (operation.Responses!.TryGetValue("429", out var refused) && refused is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                };
            }
        }
    }
}
