using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The body of `POST /api/leads/bulk`: the leads, the action and its one argument. Read at the API edge; the checks and
/// their 400s are <see cref="LeadBulkService"/>'s.
/// </summary>
[JsonNumberHandling(JsonNumberHandling.Strict)] // "3" is not 3 here (the app's web defaults would read it)
public sealed record LeadBulkInput
{
    /// <summary>1 to 500 lead ids; a lead the caller cannot see is reported as not found.</summary>
    public long[]? Ids { get; init; }

    /// <summary>`assign`, `status` or `junk`.</summary>
    public string? Action { get; init; }

    /// <summary>assign: a user id, or null to unassign.</summary>
    public Optional<long?> AssigneeId { get; init; }

    /// <summary>status: `new` or `in_work`.</summary>
    public string? Status { get; init; }

    /// <summary>junk: the reason (GET /api/junk-reasons).</summary>
    public long? JunkReasonId { get; init; }

    /// <summary>Members the route does not take: the body is refused whole (nothing is half-applied).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}
