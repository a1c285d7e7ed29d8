using System.Reflection;
using System.Text.Json;
using ContactCenter.Api.Realtime;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// The payload records of the `/hubs/inbox` events are component schemas of the document, named as <see cref="SchemaIds"/> names them, like
/// the REST records: the web app types its hub handlers from the same generated file as its REST calls. The types are
/// read by reflection from <see cref="IInboxClient"/>, so a new event is described without touching this class.
/// A schema made here inlines the records it holds; a property whose record is a component already becomes a
/// reference to it (with `null` beside it when the property is nullable), as in the schemas of the routes.
/// </summary>
public sealed class HubPayloadsTransformer : IOpenApiDocumentTransformer
{
    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>The parameter types of the hub client's events, in declaration order, each once.</summary>
    private static readonly IReadOnlyList<Type> PayloadTypes = typeof(IInboxClient)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance)
        .SelectMany(m => m.GetParameters()).Select(p => p.ParameterType).Distinct().ToList();

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        var components = document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var type in PayloadTypes.Where(t => !components.ContainsKey(SchemaIds.Of(t))))
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            ReferToComponents(document, type, schema);
            document.AddComponent(SchemaIds.Of(type), schema);
        }
    }

    private static void ReferToComponents(OpenApiDocument document, Type type, OpenApiSchema schema)
    {
        if (schema.Properties is null)
        {
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var held = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (!schema.Properties.ContainsKey(name) || held.IsPrimitive || held == typeof(string)
                || document.Components!.Schemas!.ContainsKey(SchemaIds.Of(held)) is false)
            {
                continue;
            }
            IOpenApiSchema reference = new OpenApiSchemaReference(SchemaIds.Of(held), document);
            schema.Properties[name] = Nullability.Create(property).ReadState == NullabilityState.Nullable
                ? new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] }
                : reference;
        }
    }
}
