using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The body of POST and PATCH on a CRM catalog (/api/lead-statuses, /api/junk-reasons): only the fields sent change
/// (`name` is required on create; `nameRu` sent as null clears it). Read at the API edge; the checks and their 400s are
/// <see cref="CrmCatalogsApi"/>'s.
/// </summary>
public sealed record CatalogInput
{
    /// <summary>1 to 100 characters, unique (in any case) among the entries not archived.</summary>
    public Optional<string?> Name { get; init; }

    /// <summary>The Russian name shown in a Russian interface (1 to 100 characters; null: the English one).</summary>
    public Optional<string?> NameRu { get; init; }

    /// <summary>0 to 10000; on create, absent: after the last entry.</summary>
    public Optional<int?> Sort { get; init; }

    /// <summary>PATCH only: true archives the entry, false restores it.</summary>
    public Optional<bool?> Archived { get; init; }

    /// <summary>Members the routes do not take: the body is refused whole (nothing is half-applied).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}
