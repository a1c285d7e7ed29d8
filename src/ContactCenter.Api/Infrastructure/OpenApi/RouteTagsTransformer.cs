using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// Groups operations by the area of their path (`/api/conversations/...` is "conversations", `/webhooks/telegram/...`
/// is "webhooks", `/csat/...` is "csat") instead of one tag named after the assembly; an endpoint's own `WithTags` wins.
/// </summary>
public sealed class RouteTagsTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ITagsMetadata>().Any() || context.Document is not { } document)
        {
            return Task.CompletedTask;
        }
        operation.Tags = new HashSet<OpenApiTagReference> { new(TagOf(context.Description.RelativePath ?? ""), document) };
        return Task.CompletedTask;
    }

    public static string TagOf(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["api", var area, ..] when !area.StartsWith('{') => area,
            ["webhooks", ..] => "webhooks",
            [var first, ..] when !first.StartsWith('{') => first.Split('.')[0],
            _ => "app",
        };
    }
}
