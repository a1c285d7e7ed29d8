using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// Schemas say what the server writes. The web JSON defaults read numbers from strings too, so the generator types
/// every id as "integer or numeric string"; the server always writes numbers, and a client typed from the document
/// should compare numbers. Timestamps go through <see cref="UtcDateTimeOffsetConverter"/>, a custom converter the
/// generator cannot see into: they are ISO-8601 strings (null where the property is nullable). So are the request
/// records' strings, which <see cref="BodyTextLimits"/> reads through a length-checking converter. A <see cref="JsonObject"/>
/// or a map of JSON values (a body or field read or written as free JSON: settings, custom field values, rules) is an
/// object with any members, not an object with none.
/// </summary>
public sealed class WireTypesSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && schema.Pattern is not null && type.HasFlag(JsonSchemaType.String)
            && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        if (schema.Type is null && schema.Format == "date-time")
        {
            var clr = context.JsonPropertyInfo?.PropertyType ?? context.JsonTypeInfo.Type;
            schema.Type = Nullable.GetUnderlyingType(clr) is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
        }
        if (schema.Type is null && schema.Format is null && context.JsonPropertyInfo is { } property && property.PropertyType == typeof(string))
        {
            schema.Type = property.IsSetNullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }
        var clrType = context.JsonPropertyInfo?.PropertyType ?? context.JsonTypeInfo.Type;
        if (schema.AdditionalProperties is null && IsFreeJsonObject(clrType))
        {
            schema.AdditionalProperties = new OpenApiSchema();
        }
        return Task.CompletedTask;
    }

    private static bool IsFreeJsonObject(Type type) => typeof(JsonObject).IsAssignableFrom(type)
        || typeof(IEnumerable<KeyValuePair<string, JsonElement>>).IsAssignableFrom(type);
}
