using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactCenter.Api.Infrastructure;

/// <summary>Timestamps go out as ISO-8601 UTC with a Z (`2026-11-26T18:01:12.345Z`), on REST and on the hubs.</summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    // A malformed timestamp is a JSON error (400), never a FormatException (500).
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
        && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new JsonException("A timestamp must be an ISO-8601 string, such as 2026-11-26T18:01:12Z.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}

public static class JsonDefaults
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // A body naming a member twice ({"name": "a", "name": "b"}, or "Name" and "NAME") is refused as malformed: which of
        // the two was meant is not ours to guess (the last one silently won).
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new UtcDateTimeOffsetConverter());
        options.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { BodyTextLimits.Modify } };
    }
}
