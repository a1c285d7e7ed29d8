namespace ContactCenter.Api.Features.Contacts;

/// <summary>A row of `GET /api/companies`.</summary>
public sealed record CompanyListItem(long Id, string Name, string? Phone, string? Email, string? Website, DateTime CreatedAt);

/// <summary>A company with the contacts and deals of it the caller sees.</summary>
public sealed record CompanyDto(
    long Id, string Name, string? Phone, string? Email, string? Website, string? Address, DateTime CreatedAt,
    IReadOnlyList<ContactListItem> Contacts, IReadOnlyList<ContactDealItem> Deals)
{
    /// <summary>Custom field values by key (entity `company`).</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement> Fields { get; init; } = ContactCenter.Api.Features.Fields.FieldValues.Empty;
}
