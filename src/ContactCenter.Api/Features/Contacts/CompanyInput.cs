using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// The body of POST /api/companies and PATCH /api/companies/{id}: only the fields sent are set (empty or null clears
/// one; `name` is required on create and may not be cleared). Read at the API edge; the checks and their 400s are
/// <see cref="CompanyService"/>'s.
/// </summary>
public sealed record CompanyInput
{
    public Optional<string?> Name { get; init; }

    /// <summary>International form, e.g. +14155550100.</summary>
    public Optional<string?> Phone { get; init; }

    public Optional<string?> Email { get; init; }

    public Optional<string?> Website { get; init; }

    public Optional<string?> Address { get; init; }

    /// <summary>Custom field values {key: value}; a key sent as null clears that field.</summary>
    public Optional<JsonNode?> Fields { get; init; }

    /// <summary>Members the routes do not take: the body is refused whole (nothing is half-applied).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }

    /// <summary>The plain text fields by their body name, in a fixed order.</summary>
    [JsonIgnore]
    public IEnumerable<(string Key, Optional<string?> Sent)> Texts =>
        [("name", Name), ("phone", Phone), ("email", Email), ("website", Website), ("address", Address)];

    [JsonIgnore]
    public bool SaysNothing => Unknown is not { Count: > 0 } && !Fields.IsPresent && Texts.All(t => !t.Sent.IsPresent);
}
