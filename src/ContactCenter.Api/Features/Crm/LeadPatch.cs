using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The body of PATCH /api/leads/{id}: only the fields sent change; `assigneeId: null` unassigns, and assigning a new lead
/// puts it in work (<see cref="LeadLifecycle"/>). Read at the API edge; the checks (and their 400s) are
/// <see cref="LeadService"/>'s.
/// </summary>
public sealed record LeadPatch
{
    public Optional<string?> Title { get; init; }

    /// <summary>new or in_work (a lead closes through /convert or /junk).</summary>
    public Optional<string?> Status { get; init; }

    public Optional<long?> AssigneeId { get; init; }

    /// <summary>A configurable lead status (GET /api/lead-statuses), or null.</summary>
    public Optional<long?> StatusId { get; init; }

    /// <summary>Custom field values {key: value}; a key sent as null clears that field (issue #17).</summary>
    public Optional<JsonNode?> Fields { get; init; }

    /// <summary>Where the lead came from: {channel, form, utm: {...}, payload}, or null.</summary>
    public Optional<JsonNode?> SourceDetails { get; init; }

    /// <summary>Members the route does not take: the body is refused whole (a misspelt field was ignored, the rest written).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }

    /// <summary>One of the plain fields was sent with the wrong JSON type (answered as one 400 on `body`).</summary>
    [JsonIgnore]
    public bool HasMalformedField => Title.IsMalformed || Status.IsMalformed || AssigneeId.IsMalformed;
}
