using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The body of PATCH /api/activities/{id}: reschedule or hand over an open activity; only the fields sent change
/// (`description: null` clears it, `assigneeId: null` unassigns; the due time cannot be removed). Read at the API edge;
/// the checks (and their 400s) are <see cref="ActivityService"/>'s.
/// </summary>
public sealed record ActivityPatch
{
    public Optional<string?> Title { get; init; }

    public Optional<string?> Description { get; init; }

    /// <summary>An ISO-8601 time.</summary>
    public Optional<DateTimeOffset?> DueAt { get; init; }

    public Optional<long?> AssigneeId { get; init; }

    /// <summary>Members the route does not take: the body is refused whole (a misspelt field was ignored, the rest written).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }

    /// <summary>One of the fields was sent with the wrong JSON type, or a due time that is not a time (one 400 on `body`).</summary>
    [JsonIgnore]
    public bool HasMalformedField => Title.IsMalformed || Description.IsMalformed || DueAt.IsMalformed || AssigneeId.IsMalformed;
}
