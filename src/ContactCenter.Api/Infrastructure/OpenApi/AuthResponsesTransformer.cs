using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// A route that requires a user (its group's `RequireAuthorization`, not overridden by `AllowAnonymous`) declares the
/// bearer scheme and its 401; one that also requires a role (the staff or admin policy) declares 403 too.
/// </summary>
public sealed class AuthResponsesTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count == 0 || metadata.OfType<IAllowAnonymous>().Any() || context.Document is not { } document)
        {
            return;
        }
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.BearerScheme, document)] = [],
        });
        await ProblemResponse.AddAsync(operation, context, StatusCodes.Status401Unauthorized,
            "No valid access token, or its session has ended.", cancellationToken);
        if (authorize.Any(a => a.Policy is not null || a.Roles is not null))
        {
            await ProblemResponse.AddAsync(operation, context, StatusCodes.Status403Forbidden,
                "The caller's role may not use this route.", cancellationToken);
        }
    }
}
