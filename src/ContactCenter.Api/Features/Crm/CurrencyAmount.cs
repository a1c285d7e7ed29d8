namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// A sum of amounts in one currency. Totals of deals are lists of these, never one figure: amounts of different
/// currencies are not added (there is no conversion rate to add them with).
/// </summary>
public sealed record CurrencyAmount(string Currency, decimal Amount);
