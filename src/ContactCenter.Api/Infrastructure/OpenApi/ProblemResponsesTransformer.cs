using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// The problem answers handlers return through <c>Problems</c>/<c>TypedResults.Problem</c>, whose status is chosen at
/// run time and so leaves no metadata: by convention, 400 where the caller sends input (a body, a query or route value:
/// binding and validation), 404 where the route names an object (missing, or not visible to the caller: ownership
/// answers 404, never 403), 409 on a signed-in write (the object's state forbids it). An endpoint that declares a
/// status itself (e.g. `ValidationProblem` gives 400 with field errors) keeps its own.
/// </summary>
public sealed class ProblemResponsesTransformer : IOpenApiOperationTransformer
{
    private static readonly HashSet<string> Writes = ["POST", "PUT", "PATCH", "DELETE"];

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        if (operation.RequestBody is not null || operation.Parameters is { Count: > 0 })
        {
            await ProblemResponse.AddAsync(operation, context, StatusCodes.Status400BadRequest,
                "The request is malformed or fails validation; `detail` says why.", cancellationToken);
        }
        if (operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true)
        {
            await ProblemResponse.AddAsync(operation, context, StatusCodes.Status404NotFound,
                "No such object, or the caller may not see it.", cancellationToken);
        }
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var signedIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (signedIn && Writes.Contains(description.HttpMethod ?? ""))
        {
            await ProblemResponse.AddAsync(operation, context, StatusCodes.Status409Conflict,
                "The change conflicts with the object's current state.", cancellationToken);
        }
    }
}
