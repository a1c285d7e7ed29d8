using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// A request record's nullable constructor parameter without a default (`string? Name`) is listed as required, yet the
/// server reads a missing field as null: a partial PATCH sends only what changes, a create leaves out what it does not
/// set. In the schemas request bodies use (and no response does), a nullable field is therefore optional, so a client
/// typed from the document may leave it out. Responses keep their required fields: the server always writes them.
/// </summary>
public sealed class OptionalRequestFieldsTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var components = document.Components?.Schemas;
        if (components is null || document.Paths is null)
        {
            return Task.CompletedTask;
        }
        var operations = document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()).ToList();
        var requests = Reachable(components, operations.SelectMany(o => o.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>()).Select(m => m.Schema));
        var responses = Reachable(components, operations
            .SelectMany(o => o.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>()).SelectMany(r => r.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>()).Select(m => m.Schema));
        foreach (var name in requests.Except(responses))
        {
            if (components[name] is OpenApiSchema { Required.Count: > 0, Properties: { } properties } schema)
            {
                foreach (var field in schema.Required.Where(f => properties.TryGetValue(f, out var property) && IsNullable(property)).ToList())
                {
                    schema.Required.Remove(field);
                }
            }
        }
        return Task.CompletedTask;
    }

    private static bool IsNullable(IOpenApiSchema schema) =>
        schema.Type?.HasFlag(JsonSchemaType.Null) == true || schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) == true;

    /// <summary>The component names a set of schemas refers to, directly or through other components.</summary>
    private static HashSet<string> Reachable(IDictionary<string, IOpenApiSchema> components, IEnumerable<IOpenApiSchema?> roots)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>(roots.OfType<IOpenApiSchema>());
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference { Reference.Id: { } id })
            {
                if (found.Add(id) && components.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }
                continue;
            }
            foreach (var child in Children(schema))
            {
                pending.Push(child);
            }
        }
        return found;
    }

    private static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema schema) =>
        (schema.Properties?.Values ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Concat(schema.AllOf ?? [])
            .Concat(new[] { schema.Items, schema.AdditionalProperties }.OfType<IOpenApiSchema>());
}
