using Microsoft.AspNetCore.OpenApi;
using Scalar.AspNetCore;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// The OpenAPI document of every route (`GET /openapi/v1.json`, always served: it is public metadata and holds no
/// secrets) and, in Development, the interactive reference at `/scalar`. Endpoint files stay free of OpenAPI calls:
/// tags, auth and problem responses come from the transformers here, request and response schemas from TypedResults.
/// </summary>
public static class OpenApiExtensions
{
    public const string DocumentName = "v1";

    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.CreateSchemaReferenceId = type => OptionalSchemaTransformer.IsOptional(type.Type) ? null : SchemaIds.Create(type);
            options.AddSchemaTransformer<WireTypesSchemaTransformer>();
            options.AddSchemaTransformer<OptionalSchemaTransformer>();
            options.AddOperationTransformer<RouteTagsTransformer>();
            options.AddOperationTransformer<AuthResponsesTransformer>();
            options.AddOperationTransformer<ProblemResponsesTransformer>();
            options.AddOperationTransformer<PublicResponsesTransformer>();
            options.AddDocumentTransformer<HealthPathsTransformer>();
            options.AddDocumentTransformer<HubPayloadsTransformer>();
            options.AddDocumentTransformer<OptionalRequestFieldsTransformer>();
            options.AddDocumentTransformer<ApiDocumentTransformer>();
        });
        return builder;
    }

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference().AllowAnonymous();
        }
        return app;
    }
}
