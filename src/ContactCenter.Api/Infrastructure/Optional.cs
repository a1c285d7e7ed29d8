using System.Text.Json.Serialization;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// One field of a PATCH body, read once at the API edge: absent (leave the stored value), set (to a value, null included:
/// clear it), or malformed (present with the wrong JSON type — the service answers that 400 in its own words, as it
/// did when it picked fields out of a raw JSON object). <see cref="OptionalConverter{T}"/> reads it.
/// </summary>
[JsonConverter(typeof(OptionalConverterFactory))]
public readonly record struct Optional<T>
{
    private Optional(bool isSet, bool isMalformed, T value)
    {
        IsSet = isSet;
        IsMalformed = isMalformed;
        Value = value;
    }

    /// <summary>Present and readable; <see cref="Value"/> is what was sent (possibly null).</summary>
    public bool IsSet { get; }

    /// <summary>Present with a JSON type the field does not take (a number for a string, an object for a number...).</summary>
    public bool IsMalformed { get; }

    /// <summary>Sent in the body at all, readable or not (what `body.ContainsKey(name)` said).</summary>
    public bool IsPresent => IsSet || IsMalformed;

    /// <summary>The value sent; the default (null) when absent or malformed.</summary>
    public T Value { get; }

    public static Optional<T> Absent => default;

    public static Optional<T> Malformed => new(false, true, default!);

    public static Optional<T> Of(T value) => new(true, false, value);
}
