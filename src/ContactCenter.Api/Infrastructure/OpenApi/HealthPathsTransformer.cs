using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// The health probes (MapHealthChecks: no route handler, so no API description of their own) are routes nginx,
/// compose and operators call: the document lists them like any other route.
/// </summary>
public sealed class HealthPathsTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= new OpenApiPaths();
        document.Paths["/health/live"] = Probe(document, "Liveness: the process answers (checks nothing else).");
        document.Paths["/health/ready"] = Probe(document, "Readiness: PostgreSQL and Redis answer.");
        return Task.CompletedTask;
    }

    private static OpenApiPathItem Probe(OpenApiDocument document, string summary) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                Summary = summary,
                Tags = new HashSet<OpenApiTagReference> { new("health", document) },
                Responses = new OpenApiResponses
                {
                    ["200"] = Text("Healthy"),
                    ["503"] = Text("Unhealthy"),
                },
            },
        },
    };

    private static OpenApiResponse Text(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
        },
    };
}
