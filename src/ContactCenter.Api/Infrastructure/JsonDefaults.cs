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

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[Length];
        Format(value, text);
        writer.WriteStringValue(text);
    }

    /// <summary>Characters in <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    internal const int Length = 24;

    /// <summary>
    /// <c>value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)</c> as UTF-8, digit by digit: a
    /// summary has five timestamps, an inbox page fifty summaries, and the format string was parsed and a string made for
    /// each (8 % of the app's CPU for an inbox page in the benchmark's profile).
    /// </summary>
    internal static void Format(DateTimeOffset value, Span<byte> text)
    {
        var utc = value.UtcDateTime;
        Digits(text[..4], utc.Year);
        text[4] = (byte)'-';
        Digits(text.Slice(5, 2), utc.Month);
        text[7] = (byte)'-';
        Digits(text.Slice(8, 2), utc.Day);
        text[10] = (byte)'T';
        Digits(text.Slice(11, 2), utc.Hour);
        text[13] = (byte)':';
        Digits(text.Slice(14, 2), utc.Minute);
        text[16] = (byte)':';
        Digits(text.Slice(17, 2), utc.Second);
        text[19] = (byte)'.';
        Digits(text.Slice(20, 3), utc.Millisecond);
        text[23] = (byte)'Z';

        static void Digits(Span<byte> into, int number)
        {
            for (var i = into.Length - 1; i >= 0; i--)
            {
                into[i] = (byte)('0' + number % 10);
                number /= 10;
            }
        }
    }
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
