namespace ContactCenter.Api.Features.Shared;

/// <summary>
/// Phone numbers people type into the app (a contact, a company, an import's column, their own number for calls), read
/// in E.164. With `Crm:PhoneRegion` set to the installation's country (ISO 3166 code, e.g. `RU`), a number in that
/// country's national form ("8 (916) 123-45-67") is read too; without it only the international form is (nothing is
/// guessed). Numbers from providers (SMS, WhatsApp, calls, the API channel) never go through this.
/// </summary>
public sealed class TypedPhones(IConfiguration configuration)
{
    /// <summary>The configured region, upper case; null when none (or not a two-letter code).</summary>
    public string? Region { get; } = configuration["Crm:PhoneRegion"] is { Length: 2 } region && region.All(char.IsAsciiLetter)
        ? region.ToUpperInvariant() : null;

    /// <summary>The number in E.164, or null when it is not a valid number (the caller answers its 400).</summary>
    public string? Normalize(string? typed) => Core.E164.NormalizeValid(typed, Region);
}
