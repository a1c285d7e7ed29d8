using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Notifications;

/// <summary>
/// The body of `PUT /api/me/settings`. Read at the API edge; the checks and their 400s are
/// <see cref="NotificationSettingsApi.Parse"/>'s. Absent `notifications`/`sound`/`quietHours` are their defaults (every kind
/// on, sound on, no quiet hours); absent `language` keeps the one stored.
/// </summary>
public sealed record NotificationSettingsInput
{
    /// <summary>Kind -> true/false; a kind left out is on.</summary>
    public Dictionary<string, bool?>? Notifications { get; init; }

    public Optional<bool?> Sound { get; init; }

    /// <summary>Desktop notifications and sound muted between `from` and `to` in `timeZone` (default UTC); null: never.</summary>
    public QuietHoursInput? QuietHours { get; init; }

    /// <summary>The language of emails to this user: `en` or `ru` (null: English).</summary>
    public Optional<string?> Language { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }

    public sealed record QuietHoursInput
    {
        /// <summary>HH:mm.</summary>
        public Optional<string?> From { get; init; }

        /// <summary>HH:mm, differing from `from` (may be earlier: over midnight).</summary>
        public Optional<string?> To { get; init; }

        /// <summary>An IANA time zone such as Europe/Moscow.</summary>
        public Optional<string?> TimeZone { get; init; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Unknown { get; init; }
    }
}
