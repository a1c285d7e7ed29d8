using System.Globalization;
using System.Text.Json;

namespace ContactCenter.Connectors.Vk;

/// <summary>Lenient readers over VK's JSON: a field of the wrong type reads as missing, never as an exception.</summary>
internal static class VkJson
{
    public static JsonElement? Obj(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    public static IEnumerable<JsonElement> Arr(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];

    public static string? Str(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A whole number, also when VK (or a proxy) sent it as a string.</summary>
    public static long? Long(this JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
        {
            return null;
        }
        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    public static double? Double(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    /// <summary>VK's unix seconds as UTC; null when missing or out of range.</summary>
    public static DateTimeOffset? Unix(this JsonElement e, string name) =>
        e.Long(name) is { } seconds && seconds is > 0 and < 253_402_300_800 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
