using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Fields;
using ContactCenter.Api.Realtime;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// The contact profile (GET/PATCH /api/contacts/{id}): read and edit name, email and phone of a contact the caller may
/// see (CrmAccess.ContactVisible); anything else answers exactly as a missing id. An edit is pushed as a change of each
/// of the contact's conversations, so every open list and thread shows the new name.
/// </summary>
public sealed class ContactProfileService(NpgsqlDataSource db, InboxNotifier inbox, TimeProvider clock, Shared.TypedPhones phones, ILogger<ContactProfileService> logger)
{
    private const int MaxName = 200;

    public async Task<ContactProfile?> GetAsync(CurrentUser me, long id, CancellationToken ct)
    {
        const string sql = $"""
            select ct.id, coalesce(ct.name, ct.email, ct.phone, 'Contact ' || ct.id) as name, ct.email, ct.phone, ct.company_id, co.name as company_name, ct.fields::text as fields,
                   {ContactCenter.Api.Features.Labels.LabelList.OfContact} as labels
            from contacts ct left join companies co on co.id = ct.company_id where ct.id = @id and {CrmAccess.ContactVisible};
            select channel_kind, address, display_name, username from contact_identities where contact_id = @id order by id;
            select vc.id, ch.id as channel_id, ch.name as channel_name, ch.kind as channel_kind, vc.status, u.name as assignee_name, vc.last_activity_at
            from conversations vc
            join channels ch on ch.id = vc.channel_id
            left join users u on u.id = vc.assignee_id
            where vc.contact_id = @id and (@staff or {CrmAccess.ConversationSeen})
            order by vc.last_activity_at desc, vc.id desc limit 100;
            select l.id, l.title, l.status, u.name as assignee_name, l.created_at
            from leads l left join users u on u.id = l.assignee_id
            where l.contact_id = @id and {CrmAccess.LeadVisible}
            order by l.id desc limit 100;
            select d.id, d.title, d.amount, d.currency, s.name as stage_name, d.outcome, u.name as assignee_name, d.created_at
            from deals d join stages s on s.id = d.stage_id left join users u on u.id = d.assignee_id
            where d.contact_id = @id and {CrmAccess.DealVisible}
            order by d.id desc limit 100;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id, me = me.Id, staff = me.IsStaff }, cancellationToken: ct));
        var contact = await grid.ReadSingleOrDefaultAsync<(long Id, string Name, string? Email, string? Phone, long? CompanyId, string? CompanyName, string? Fields, string? Labels)>();
        if (contact.Id == 0)
        {
            return null;
        }
        return new ContactProfile(contact.Id, contact.Name, contact.Email, contact.Phone,
            (await grid.ReadAsync<ContactIdentityDto>()).ToList(),
            (await grid.ReadAsync<ContactConversationItem>()).ToList(),
            (await grid.ReadAsync<ContactLeadItem>()).ToList(),
            (await grid.ReadAsync<ContactDealItem>()).ToList())
        {
            CompanyId = contact.CompanyId,
            CompanyName = contact.CompanyName,
            Fields = FieldValues.Parse(contact.Fields),
            Labels = ContactCenter.Api.Features.Labels.LabelList.Parse(contact.Labels),
        };
    }

    /// <summary>
    /// A partial update: only the fields present change. Name must not be empty; email and phone may be cleared with null
    /// or "". The phone is stored in E.164, like every phone of the product.
    /// </summary>
    public async Task<CrmResult<ContactProfile>> PatchAsync(CurrentUser me, long id, ContactPatch patch, CancellationToken ct)
    {
        if (patch.SaysNothingOrUnknown)
        {
            return CrmResult<ContactProfile>.Invalid("body", "Send one or more of name, email, phone, companyId, fields.");
        }
        if (CompanyRef.Parse(patch.CompanyId, out var companyId) is { } badCompany)
        {
            return badCompany.As<ContactProfile>();
        }
        foreach (var (field, sent) in new[] { ("name", patch.Name), ("email", patch.Email), ("phone", patch.Phone) })
        {
            if (sent.IsMalformed)
            {
                return CrmResult<ContactProfile>.Invalid(field, $"{field} must be a string (or null).");
            }
        }
        var name = patch.Name.Value?.Trim();
        if (patch.Name.IsSet && (string.IsNullOrEmpty(name) || name.Length > MaxName))
        {
            return CrmResult<ContactProfile>.Invalid("name", $"A name of 1 to {MaxName} characters is required.");
        }
        var email = string.IsNullOrWhiteSpace(patch.Email.Value) ? null : patch.Email.Value.Trim();
        if (email is not null && !Core.ContactAddresses.IsEmail(email))
        {
            return CrmResult<ContactProfile>.Invalid("email", "email must be an address like name@example.com (empty clears it).");
        }
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(patch.Phone.Value) && (phone = phones.Normalize(patch.Phone.Value)) is null)
        {
            return CrmResult<ContactProfile>.Invalid("phone", "phone must be a valid number in international form, e.g. +14155550100 (empty clears it).");
        }

        var (fields, fieldsError) = patch.Fields.IsPresent ? await FieldValues.CheckAsync(db, "contact", patch.Fields.Value, ct) : (null, null);
        if (fieldsError is not null)
        {
            return CrmResult<ContactProfile>.Invalid(fieldsError.Field!, fieldsError.Error!);
        }

        const string update = $"""
            update contacts ct set
                name = case when @setName then @name else ct.name end,
                email = case when @setEmail then @email else ct.email end,
                phone = case when @setPhone then @phone else ct.phone end,
                company_id = case when @setCompany then @companyId else ct.company_id end,
                fields = case when @setFields then (ct.fields - @removed::text[]) || @set::jsonb else ct.fields end,
                updated_at = @now
            where ct.id = @id and {CrmAccess.ContactVisible}
            returning (select coalesce(array_agg(c.id), array[]::bigint[]) from conversations c where c.contact_id = ct.id)
            """;
        long[]? conversations;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            if (await CompanyRef.CheckAsync(connection, null, me, companyId, ct) is { } unknownCompany)
            {
                return unknownCompany.As<ContactProfile>();
            }
            conversations = await connection.QuerySingleOrDefaultAsync<long[]?>(new CommandDefinition(update, new
            {
                id, me = me.Id, staff = me.IsStaff, now = clock.GetUtcNow().UtcDateTime,
                setName = patch.Name.IsSet, name,
                setEmail = patch.Email.IsSet, email,
                setPhone = patch.Phone.IsSet, phone,
                setCompany = patch.CompanyId.IsSet, companyId,
                setFields = fields is not null, set = fields?.Set ?? "{}", removed = fields?.Removed ?? [],
            }, cancellationToken: ct));
        }
        if (conversations is null)
        {
            return CrmResult<ContactProfile>.NotFound("There is no such contact.");
        }
        foreach (var conversationId in conversations)
        {
            try
            {
                await inbox.ConversationChangedAsync(conversationId, [], CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The edit is committed; a missed push is caught up by the next resync.
                logger.LogWarning(ex, "Push of conversation {ConversationId} after a contact edit failed", conversationId);
            }
        }
        return CrmResult<ContactProfile>.Ok((await GetAsync(me, id, ct))!);
    }
}
