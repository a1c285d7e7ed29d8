using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The body of PATCH /api/deals/{id}: only the fields sent change. `assigneeId`, `contactId` and `companyId` null clear
/// them; a `stageId` of a won or lost stage closes the deal (<see cref="DealLifecycle"/>). Read at the API edge; the
/// checks (and their 400s) are <see cref="DealPatchService"/>'s.
/// </summary>
public sealed record DealPatch
{
    public Optional<string?> Title { get; init; }

    public Optional<decimal?> Amount { get; init; }

    /// <summary>A 3-letter ISO 4217 code.</summary>
    public Optional<string?> Currency { get; init; }

    public Optional<long?> StageId { get; init; }

    public Optional<long?> AssigneeId { get; init; }

    public Optional<long?> ContactId { get; init; }

    /// <summary>A company the caller sees, or null for none (issue #17).</summary>
    public Optional<long?> CompanyId { get; init; }

    /// <summary>Custom field values {key: value}; a key sent as null clears that field (issue #17).</summary>
    public Optional<JsonNode?> Fields { get; init; }

    /// <summary>Product lines [{name, price, quantity, discount}]; they replace the deal's lines.</summary>
    public Optional<JsonNode?> Products { get; init; }

    /// <summary>Whether the amount follows the product lines.</summary>
    public Optional<bool?> AmountFromProducts { get; init; }

    /// <summary>Where the deal came from: {channel, form, utm: {...}, payload}, or null.</summary>
    public Optional<JsonNode?> SourceDetails { get; init; }

    /// <summary>Members the route does not take: the body is refused whole (a misspelt field was ignored, the rest written).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }

    /// <summary>One of the plain fields was sent with the wrong JSON type (answered as one 400 on `body`).</summary>
    [JsonIgnore]
    public bool HasMalformedField =>
        Title.IsMalformed || Amount.IsMalformed || Currency.IsMalformed || StageId.IsMalformed || AssigneeId.IsMalformed || ContactId.IsMalformed;
}
