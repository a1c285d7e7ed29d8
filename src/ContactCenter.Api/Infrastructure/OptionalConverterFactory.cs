using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactCenter.Api.Infrastructure;

/// <summary>Makes the <see cref="OptionalConverter{T}"/> of each <see cref="Optional{T}"/> a PATCH record declares.</summary>
public sealed class OptionalConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(OptionalConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}
