namespace ContactCenter.Api.Features.Shared;

/// <summary>
/// Configuration section `Snooze`: the instance's time zone. "Next morning" is 09:00 there for a channel without
/// business hours, and the overdue digest counts its day there.
/// </summary>
public sealed record SnoozeOptions
{
    public string TimeZone { get; init; } = "UTC";
}
