using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// The document's title, the bearer scheme every signed-in route refers to, and no `servers` entry: the browser app
/// calls its own origin, and a served copy must not depend on the host or port it was fetched from (docs/openapi.json
/// is compared with it byte for byte).
/// </summary>
public sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "ContactCenter API",
            Version = "v1",
            Description = "Omnichannel inbox and sales CRM. Sign in with POST /api/auth/login and send the access token as "
                + "`Authorization: Bearer <token>`. Errors are RFC 9457 problem details.",
        };
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The accessToken of POST /api/auth/login (the hubs also take it as ?access_token=).",
        };
        // Only the tags that operations use, sorted, so the document is stable from run to run.
        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Name).OfType<string>().ToHashSet();
        document.Tags = new HashSet<OpenApiTag>(used.Order(StringComparer.Ordinal).Select(name => new OpenApiTag { Name = name }));
        return Task.CompletedTask;
    }
}
