using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Contacts;
using ContactCenter.Api.Features.Crm;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Search;

/// <summary>
/// The CRM records the header's search finds beside messages (issue #17): deals and leads by title, contacts by name,
/// email or phone, companies by name, email or phone — each under the one visibility rule, newest first, a few of each.
/// One round trip; trigram indexes serve the `like '%text%'` (migrations 1109, 1114, 1121).
/// </summary>
public sealed class RecordSearch(NpgsqlDataSource db)
{
    public sealed record DealHit(long Id, string Title, decimal Amount, string Currency, string StageName, string? Outcome, string? ContactName);

    public sealed record LeadHit(long Id, string Title, string Status, string? ContactName);

    public sealed record ContactHit(long Id, string Name, string? Email, string? Phone, string? CompanyName);

    public sealed record CompanyHit(long Id, string Name, string? Email, string? Phone);

    public sealed record Records(IReadOnlyList<DealHit> Deals, IReadOnlyList<LeadHit> Leads, IReadOnlyList<ContactHit> Contacts, IReadOnlyList<CompanyHit> Companies);

    private const string Like = """lower({0} collate "und-x-icu") like lower(@pattern collate "und-x-icu")""";

    private static string Matches(string column) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Like, column);

    public async Task<Records> SearchAsync(CurrentUser me, string q, int limit, CancellationToken ct)
    {
        var search = ContactSearch.From(q);
        var sql = $"""
            select d.id, d.title, d.amount, d.currency, s.name as stage_name, d.outcome, dc.name as contact_name
            from deals d join stages s on s.id = d.stage_id left join contacts dc on dc.id = d.contact_id
            where {Matches("d.title")} and {CrmAccess.DealVisible}
            order by d.id desc limit @limit;

            select l.id, l.title, l.status, lc.name as contact_name
            from leads l left join contacts lc on lc.id = l.contact_id
            where {Matches("l.title")} and {CrmAccess.LeadVisible}
            order by l.id desc limit @limit;

            select {ContactDirectory.ListColumns}
            from contacts ct left join companies co on co.id = ct.company_id
            where ({Matches("ct.name")} or {Matches("ct.email")} or (@digits::text is not null and ct.phone like @digits))
              and {CrmAccess.ContactVisible}
            order by ct.id desc limit @limit;

            select co.id, co.name, co.email, co.phone
            from companies co
            where ({Matches("co.name")} or {Matches("co.email")} or (@digits::text is not null and co.phone like @digits))
              and {CompanyRef.Visible}
            order by co.id desc limit @limit;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new
        {
            me = me.Id, staff = me.IsStaff, pattern = search.Pattern, digits = search.Digits, limit,
        }, cancellationToken: ct));
        var deals = (await grid.ReadAsync<DealHit>()).AsList();
        var leads = (await grid.ReadAsync<LeadHit>()).AsList();
        var contacts = (await grid.ReadAsync<ContactListItem>()).Select(c => new ContactHit(c.Id, c.Name, c.Email, c.Phone, c.CompanyName)).ToList();
        var companies = (await grid.ReadAsync<CompanyHit>()).AsList();
        return new Records(deals, leads, contacts, companies);
    }
}
