using System.Globalization;
using System.Text.RegularExpressions;
using ContactCenter.Api.Auth;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Canned;

/// <summary>
/// Fills `{{variable}}` placeholders from a conversation: its contact, the caller (agent), the conversation's open
/// deal or, when there is none, its open lead. Unknown or empty variables become "" so a customer never sees braces
/// of a template; whitespace inside the braces is tolerated.
/// </summary>
public sealed partial class CannedVariables(NpgsqlDataSource db)
{
    private sealed record Facts(
        string? ContactName, string? ContactEmail, string? ContactPhone, string? AgentName, long ConversationId,
        string? DealTitle, decimal? DealAmount, string? DealCurrency, string? DealStage, string? LeadTitle, string? LeadStatus);

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}")]
    private static partial Regex Placeholder();

    /// <summary>The values for one conversation (which the caller must be allowed to see: the caller checks).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ValuesAsync(CurrentUser me, long conversationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // The deal and lead only where the caller may see them (CrmAccess): a colleague's note mentioning the caller makes
        // them a participant of the conversation, not a viewer of its deal.
        var facts = await connection.QuerySingleAsync<Facts>(new CommandDefinition($"""
            select ct.name as contact_name, ct.email as contact_email, ct.phone as contact_phone,
                   (select u.name from users u where u.id = @me) as agent_name, c.id as conversation_id,
                   d.title as deal_title, d.amount as deal_amount, d.currency as deal_currency, s.name as deal_stage,
                   l.title as lead_title, l.status as lead_status
            from conversations c
            join contacts ct on ct.id = c.contact_id
            left join deals d on d.id = c.deal_id and d.closed_at is null and {Crm.CrmAccess.DealVisible}
            left join stages s on s.id = d.stage_id
            left join leads l on l.id = c.lead_id and l.status in ('new', 'in_work') and {Crm.CrmAccess.LeadVisible}
            where c.id = @conversationId
            """, new { me = me.Id, staff = me.IsStaff, conversationId }, cancellationToken: ct));
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["contact.name"] = facts.ContactName ?? "",
            ["contact.email"] = facts.ContactEmail ?? "",
            ["contact.phone"] = facts.ContactPhone ?? "",
            ["agent.name"] = facts.AgentName ?? me.Name,
            ["conversation.id"] = facts.ConversationId.ToString(CultureInfo.InvariantCulture),
        };
        if (facts.DealTitle is not null)
        {
            values["deal.title"] = facts.DealTitle;
            values["deal.amount"] = facts.DealAmount?.ToString("0.##", CultureInfo.InvariantCulture) ?? "";
            values["deal.currency"] = facts.DealCurrency ?? "";
            values["deal.stage"] = facts.DealStage ?? "";
        }
        else if (facts.LeadTitle is not null)
        {
            values["lead.title"] = facts.LeadTitle;
            values["lead.status"] = facts.LeadStatus ?? "";
        }
        return values;
    }

    public static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : "");
}
