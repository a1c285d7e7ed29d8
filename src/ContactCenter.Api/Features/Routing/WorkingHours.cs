using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Routing;

/// <summary>
/// A manager's own working schedule (`users.working_hours`: `{timeZone, days: ["mon", ...], from: "09:00", to: "18:00"}`).
/// Automatic routing offers nothing to a manager outside it; without one a manager is always within hours (as before).
/// </summary>
public static class WorkingHours
{
    public static bool IsWorking(string? json, DateTimeOffset at)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject schedule)
        {
            return true;
        }
        try
        {
            return BusinessHours.FromSchedule(schedule).IsOpen(at);
        }
        catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException or InvalidOperationException)
        {
            return true; // validated when saved; a schedule this build cannot read must not take a manager out of routing
        }
    }

    /// <summary>The problem with a schedule, or null when it is valid.</summary>
    public static string? Problem(JsonObject schedule)
    {
        try
        {
            _ = BusinessHours.FromSchedule(schedule);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException or InvalidOperationException)
        {
            return ex.Message;
        }
    }
}
