using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The body of `POST /api/deals/bulk`: the deals and exactly one action (assign, move to an open stage, or close). Read at
/// the API edge; the checks and their 400s are <see cref="DealBulkService"/>'s.
/// </summary>
[JsonNumberHandling(JsonNumberHandling.Strict)] // "3" is not 3 here (the app's web defaults would read it)
public sealed record DealBulkInput
{
    /// <summary>1 to 500 ids of deals the caller sees.</summary>
    public long[]? Ids { get; init; }

    /// <summary>Assign every deal to this user; null unassigns them.</summary>
    public Optional<long?> AssigneeId { get; init; }

    /// <summary>Move every deal to this open stage.</summary>
    public long? StageId { get; init; }

    /// <summary>Close every deal as won or lost.</summary>
    public DealBulkClose? Close { get; init; }

    /// <summary>Members the route does not take: the body is refused whole (nothing is half-applied).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>How the deals of a bulk close end: `{won: true}`, `{won: false, lossReasonId}` (or `outcome` instead of `won`).</summary>
[JsonNumberHandling(JsonNumberHandling.Strict)] // "3" is not 3 here (the app's web defaults would read it)
public sealed record DealBulkClose
{
    public bool? Won { get; init; }

    /// <summary>`won` or `lost`, instead of <see cref="Won"/>.</summary>
    public string? Outcome { get; init; }

    /// <summary>Required when lost (GET /api/loss-reasons).</summary>
    public long? LossReasonId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}
