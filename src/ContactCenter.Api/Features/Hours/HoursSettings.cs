using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Routing;

namespace ContactCenter.Api.Features.Hours;

/// <summary>
/// A channel's automatic messages: `outOfHoursReply: {enabled, text}` (outside `businessHours` or on a holiday),
/// `acknowledgement: {enabled, text}` (the first customer message of a new or reopened conversation, within hours) and
/// `csat: {enabled, question}` (a 1-5 rating asked once when the conversation is resolved).
/// </summary>
public sealed record HoursSettings(string? OutOfHoursText, string? AcknowledgementText, string? CsatQuestion, BusinessHours? Hours)
{
    public const int MaxTextLength = 2000;

    public const string DefaultCsatQuestion = "How would you rate our help? (1 = poor, 5 = excellent)";

    public bool AnyReply => OutOfHoursText is not null || AcknowledgementText is not null;

    /// <summary>Reads what is switched on; anything malformed is off (settings were validated when saved).</summary>
    public static HoursSettings From(JsonObject settings)
    {
        BusinessHours? hours = null;
        try
        {
            hours = settings["businessHours"] is JsonObject b ? BusinessHours.Parse(b) : null;
        }
        catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException or InvalidOperationException)
        {
            hours = null;
        }
        return new HoursSettings(
            Enabled(settings["outOfHoursReply"], "text"),
            Enabled(settings["acknowledgement"], "text"),
            On(settings["csat"]) ? Enabled(settings["csat"], "question") ?? DefaultCsatQuestion : null,
            hours);
    }

    /// <summary>Errors of the three objects, merged into every kind's settings errors.</summary>
    public static IDictionary<string, string[]> Validate(JsonObject settings)
    {
        var errors = new Dictionary<string, string[]>();
        Check(settings, "outOfHoursReply", "text", errors);
        Check(settings, "acknowledgement", "text", errors);
        Check(settings, "csat", "question", errors, textRequired: false);
        if (On(settings["outOfHoursReply"]) && settings["businessHours"] is null)
        {
            errors["settings.outOfHoursReply"] = ["An out-of-hours reply needs businessHours on the channel."];
        }
        return errors;
    }

    private static void Check(JsonObject settings, string name, string textField, Dictionary<string, string[]> errors, bool textRequired = true)
    {
        if (settings[name] is not { } node)
        {
            return;
        }
        if (node is not JsonObject o || (o["enabled"] is { } e && e.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)))
        {
            errors[$"settings.{name}"] = [$"{name} must be an object {{enabled: true|false, {textField}: \"...\"}}."];
            return;
        }
        var text = o[textField];
        if (text is not null && text.GetValueKind() != JsonValueKind.String && text.GetValueKind() != JsonValueKind.Null)
        {
            errors[$"settings.{name}.{textField}"] = [$"{name}.{textField} must be text."];
        }
        else if (text?.GetValue<string>() is { Length: > MaxTextLength })
        {
            errors[$"settings.{name}.{textField}"] = [$"{name}.{textField} is at most {MaxTextLength} characters."];
        }
        else if (textRequired && On(node) && string.IsNullOrWhiteSpace(text?.GetValue<string>()))
        {
            errors[$"settings.{name}.{textField}"] = [$"{name}.{textField} is required when {name} is enabled."];
        }
    }

    private static bool On(JsonNode? node) => node is JsonObject o && o["enabled"]?.GetValueKind() == JsonValueKind.True;

    private static string? Enabled(JsonNode? node, string field) =>
        On(node) && node![field] is { } t && t.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(t.GetValue<string>())
            ? t.GetValue<string>().Trim() : null;
}
