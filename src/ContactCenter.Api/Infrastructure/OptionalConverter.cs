using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Reads a present PATCH field with the rules the services applied to raw JSON nodes (`GetValue&lt;T&gt;()`): a string only
/// from a JSON string, a time only from a JSON string that parses as one, an int, long or decimal only from a JSON number
/// that fits, a bool only from true/false, and JSON null as null. Anything else is <see cref="Optional{T}.Malformed"/>, never
/// an exception, so each service keeps its own 400.
/// A <see cref="JsonNode"/> field takes any JSON, read with the request's options (as the raw object was).
/// </summary>
public sealed class OptionalConverter<T> : JsonConverter<Optional<T>>
{
    private static readonly Type Target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);

    public override bool HandleNull => true;

    public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return Optional<T>.Of(default!);
        }
        if (typeof(JsonNode).IsAssignableFrom(Target))
        {
            // JSON members are the feature's to check (automation rules name the part with a NUL; see BodyTextLimits).
            return Optional<T>.Of((T)(object)JsonSerializer.Deserialize<JsonNode>(ref reader, options)!);
        }
        object? value = reader.TokenType switch
        {
            // A NUL is refused here as in every other string of a body (BodyTextLimits): PostgreSQL cannot hold it.
            JsonTokenType.String when Target == typeof(string) => reader.GetString() is { } text && text.Contains('\0') ? throw new NulCharacterException(null) : reader.GetString(),
            JsonTokenType.Number when Target == typeof(long) && reader.TryGetInt64(out var whole) => whole,
            JsonTokenType.Number when Target == typeof(int) && reader.TryGetInt32(out var small) => small,
            JsonTokenType.Number when Target == typeof(decimal) && reader.TryGetDecimal(out var number) => number,
            JsonTokenType.True or JsonTokenType.False when Target == typeof(bool) => reader.GetBoolean(),
            JsonTokenType.String when Target == typeof(DateTimeOffset)
                && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) => time,
            _ => null,
        };
        if (value is null)
        {
            // Past an object or array sent where a plain value belongs. TrySkip, not Skip: a body read from a pipe (ASP.NET
            // Core's minimal APIs, a body with `charset=utf-8`) hands a converter a reader that is not the final block,
            // where Skip throws even on a plain value; the serializer has buffered the whole value for a converter.
            if (!reader.TrySkip())
            {
                throw new JsonException("The value could not be read whole.");
            }
            return Optional<T>.Malformed;
        }
        return Optional<T>.Of((T)value);
    }

    public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Value, options);
}
