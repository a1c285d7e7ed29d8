using ContactCenter.Api.Auth;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The contact of a lead or deal created from the UI: an existing one the caller may see (`contactId` or `contact: {id}`),
/// or a new one typed in the dialog (`contact: {name, email?, phone?}`), checked before anything is written.
/// </summary>
public static class ContactPick
{
    /// <summary>The input is well-formed (null when it is, else the 400 to answer). Nothing is read or written.</summary>
    public static CrmResult<object>? Check(long? contactId, LeadService.ContactInput? c, bool required, Shared.TypedPhones phones)
    {
        if (contactId is not null || c?.Id is not null)
        {
            return null;
        }
        if (c is null || (string.IsNullOrWhiteSpace(c.Name) && string.IsNullOrWhiteSpace(c.Email) && string.IsNullOrWhiteSpace(c.Phone)))
        {
            return required ? CrmResult<object>.Invalid("contact", "Give contactId, contact: {id}, or a contact with a name, email or phone.") : null;
        }
        if (c.Name is { Length: > 200 } || c.Name?.Contains('\0') == true)
        {
            return CrmResult<object>.Invalid("contact.name", "The name is at most 200 characters.");
        }
        if (!string.IsNullOrWhiteSpace(c.Email) && !Core.ContactAddresses.IsEmail(c.Email.Trim()))
        {
            return CrmResult<object>.Invalid("contact.email", "email must be an address like name@example.com.");
        }
        if (!string.IsNullOrWhiteSpace(c.Phone) && phones.Normalize(c.Phone) is null)
        {
            return CrmResult<object>.Invalid("contact.phone", "phone must be a valid number in international form, e.g. +14155550100.");
        }
        return null;
    }

    /// <summary>The contact id to use (null: none given and none required), or the 404 of one the caller may not see.</summary>
    public static async Task<CrmResult<long?>> ResolveAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CurrentUser me, long? contactId,
        LeadService.ContactInput? c, Shared.TypedPhones phones, CancellationToken ct)
    {
        var existing = contactId ?? c?.Id;
        if (existing is not null)
        {
            return await DealService.CheckPeopleAsync(connection, tx, me, existing, null, ct) is { } missing
                ? missing.As<long?>()
                : CrmResult<long?>.Ok(existing);
        }
        if (c is null || (string.IsNullOrWhiteSpace(c.Name) && string.IsNullOrWhiteSpace(c.Email) && string.IsNullOrWhiteSpace(c.Phone)))
        {
            return CrmResult<long?>.Ok(null);
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "insert into contacts (name, email, phone) values (@name, @email, @phone) returning id",
            new
            {
                name = string.IsNullOrWhiteSpace(c.Name) ? null : c.Name.Trim(),
                email = string.IsNullOrWhiteSpace(c.Email) ? null : c.Email.Trim(),
                phone = string.IsNullOrWhiteSpace(c.Phone) ? null : phones.Normalize(c.Phone),
            }, tx, cancellationToken: ct));
        return CrmResult<long?>.Ok(id);
    }
}
