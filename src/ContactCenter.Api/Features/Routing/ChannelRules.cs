using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Routing;

/// <summary>The `routing`, `sla` and `businessHours` settings every channel kind takes, read defensively.</summary>
public sealed record ChannelRules(
    string Mode, int? PassAfterSeconds, int? MaxOpenPerManager, IReadOnlyList<long> Order,
    int? FirstResponseSeconds, int? ReplySeconds, BusinessHours? Hours)
{
    public static readonly ChannelRules Manual = new("manual", null, null, [], null, null, null);

    /// <summary>Whether a channel in this routing mode assigns its conversations itself (the others leave them to people).</summary>
    public static bool Assigns(string? mode) => mode is "evenly" or "strictly";

    public static ChannelRules From(JsonObject settings)
    {
        var routing = settings["routing"] as JsonObject;
        var sla = settings["sla"] as JsonObject;
        return new ChannelRules(
            Str(routing?["mode"]) ?? "manual",
            Int(routing?["passAfterSeconds"]),
            Int(routing?["maxOpenPerManager"]),
            (routing?["order"] as JsonArray)?.Select(Long).OfType<long>().ToList() ?? [],
            Int(sla?["firstResponseSeconds"]),
            Int(sla?["replySeconds"]),
            settings["businessHours"] is JsonObject hours ? BusinessHours.Parse(hours) : null);
    }

    /// <summary>Validation of the common settings, merged into every kind's errors.</summary>
    public static IDictionary<string, string[]> Validate(JsonObject settings)
    {
        var errors = new Dictionary<string, string[]>();
        if (settings["routing"] is { } r)
        {
            if (r is not JsonObject routing || Str(routing["mode"]) is not (null or "manual" or "evenly" or "strictly" or "all"))
            {
                errors["settings.routing.mode"] = ["routing.mode must be manual, evenly, strictly or all."];
            }
            else
            {
                if (routing["passAfterSeconds"] is { } p && Int(p) is not > 0)
                {
                    errors["settings.routing.passAfterSeconds"] = ["passAfterSeconds must be a positive number of seconds."];
                }
                if (routing["maxOpenPerManager"] is { } m && Int(m) is not > 0)
                {
                    errors["settings.routing.maxOpenPerManager"] = ["maxOpenPerManager must be a positive number."];
                }
                // Read as the order of the channel's managers for `strictly`: anything but ids was dropped silently.
                if (routing["order"] is { } o && (o is not JsonArray order || order.Count > 1000 || order.Any(n => UserId(n) is not > 0)))
                {
                    errors["settings.routing.order"] = ["routing.order is a list of user ids."];
                }
            }
        }
        if (settings["sla"] is { } s && (s is not JsonObject sla
            || (sla["firstResponseSeconds"] is { } f && Int(f) is not > 0) || (sla["replySeconds"] is { } rs && Int(rs) is not > 0)))
        {
            errors["settings.sla"] = ["sla targets must be positive numbers of seconds."];
        }
        if (settings["businessHours"] is { } b)
        {
            try
            {
                _ = BusinessHours.Parse(b as JsonObject ?? throw new FormatException("businessHours must be an object."));
            }
            catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
            {
                errors["settings.businessHours"] = [ex.Message];
            }
        }
        foreach (var (key, value) in ContactCenter.Api.Features.Hours.HoursSettings.Validate(settings))
        {
            errors[key] = value;
        }
        return errors;
    }

    private static string? Str(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static int? Int(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => node.GetValue<double>() is var d && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : null,
        JsonValueKind.String => int.TryParse(node.GetValue<string>(), out var i) ? i : null,
        _ => null,
    };

    /// <summary>A whole number as the order holds a user id (1.9, 1e300 or 1e400 were read as user 1, long.MaxValue...).</summary>
    private static long? UserId(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => node.AsValue().TryGetValue<long>(out var l) ? l : null,
        JsonValueKind.String => long.TryParse(node.GetValue<string>(), out var l) ? l : null,
        _ => null,
    };

    private static long? Long(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Number => (long)node.GetValue<double>(),
        JsonValueKind.String => long.TryParse(node.GetValue<string>(), out var l) ? l : null,
        _ => null,
    };
}
