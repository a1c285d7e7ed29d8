using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// A PATCH record's <see cref="Optional{T}"/> field goes through a custom converter the generator cannot see into: on the
/// wire it is just its value (or null, which clears it), so its schema is that of T, nullable, written inline
/// (<see cref="IsOptional"/> keeps it out of the components). A JSON-valued field (custom fields, product lines) stays any JSON.
/// </summary>
public sealed class OptionalSchemaTransformer : IOpenApiSchemaTransformer
{
    public static bool IsOptional(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>);

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonPropertyInfo?.PropertyType ?? context.JsonTypeInfo.Type;
        if (!IsOptional(type))
        {
            return Task.CompletedTask;
        }
        var value = Nullable.GetUnderlyingType(type.GetGenericArguments()[0]) ?? type.GetGenericArguments()[0];
        (schema.Type, schema.Format) = value switch
        {
            _ when value == typeof(string) => (JsonSchemaType.String | JsonSchemaType.Null, null),
            _ when value == typeof(long) => (JsonSchemaType.Integer | JsonSchemaType.Null, "int64"),
            _ when value == typeof(int) => (JsonSchemaType.Integer | JsonSchemaType.Null, "int32"),
            _ when value == typeof(decimal) => (JsonSchemaType.Number | JsonSchemaType.Null, "double"),
            _ when value == typeof(bool) => (JsonSchemaType.Boolean | JsonSchemaType.Null, null),
            _ when value == typeof(DateTimeOffset) => (JsonSchemaType.String | JsonSchemaType.Null, "date-time"),
            _ when typeof(JsonNode).IsAssignableFrom(value) => (schema.Type, schema.Format),
            _ => throw new InvalidOperationException($"Describe Optional<{value.Name}> in {nameof(OptionalSchemaTransformer)}."),
        };
        return Task.CompletedTask;
    }
}
