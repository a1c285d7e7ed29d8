namespace ContactCenter.Api.Features.Contacts;

/// <summary>A row of `GET /api/contacts` and of a company's contacts.</summary>
public sealed record ContactListItem(long Id, string Name, string? Email, string? Phone, long? CompanyId, string? CompanyName, DateTime CreatedAt);
