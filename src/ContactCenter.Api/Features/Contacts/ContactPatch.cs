using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// The body of PATCH /api/contacts/{id}: only the fields sent change (`email`, `phone` and `companyId` null or empty clear
/// them). Read at the API edge; the checks and their 400s are <see cref="ContactProfileService"/>'s.
/// </summary>
public sealed record ContactPatch
{
    public Optional<string?> Name { get; init; }

    public Optional<string?> Email { get; init; }

    /// <summary>International form, e.g. +14155550100.</summary>
    public Optional<string?> Phone { get; init; }

    /// <summary>A company the caller sees, or null for none.</summary>
    public Optional<long?> CompanyId { get; init; }

    /// <summary>Custom field values {key: value}; a key sent as null clears that field.</summary>
    public Optional<JsonNode?> Fields { get; init; }

    /// <summary>Members the route does not take: the body is refused whole (nothing is half-applied).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }

    /// <summary>Nothing this route changes was sent (an empty body), or something it does not know was.</summary>
    [JsonIgnore]
    public bool SaysNothingOrUnknown =>
        Unknown is { Count: > 0 } || !(Name.IsPresent || Email.IsPresent || Phone.IsPresent || CompanyId.IsPresent || Fields.IsPresent);
}
