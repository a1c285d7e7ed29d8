namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// Who may see and edit leads and deals. Staff (admins, supervisors) see all; a manager sees the ones assigned
/// to them and the unassigned ones reachable through a conversation of a channel they are a member of —
/// the inbox's rule (ConversationQueries.Visible), carried to the CRM. Parameters: @me, @staff.
/// </summary>
public static class CrmAccess
{
    public const string DealVisible = """
        (@staff or d.assignee_id = @me or (d.assignee_id is null and exists (
            select 1 from conversations vc join channel_members vm on vm.channel_id = vc.channel_id and vm.user_id = @me
            where vc.deal_id = d.id)))
        """;

    public const string LeadVisible = """
        (@staff or l.assignee_id = @me or (l.assignee_id is null and exists (
            select 1 from conversations vc join channel_members vm on vm.channel_id = vc.channel_id and vm.user_id = @me
            where vc.lead_id = l.id)))
        """;

    /// <summary>
    /// The users who see a deal (@dealId): staff, its assignee, or when unassigned the members of its conversations'
    /// channels. A union of three sets rather than the visibility rule tested per user: with a thousand managers the
    /// per-user test probed the deal's conversations a thousand times (about 5 ms a push in the benchmark).
    /// </summary>
    public const string DealAudience = """
        select u.id from users u where u.is_active and u.role in ('admin', 'supervisor') and exists (select 1 from deals d where d.id = @dealId)
        union
        select u.id from deals d join users u on u.id = d.assignee_id and u.is_active where d.id = @dealId
        union
        select u.id from deals d
        join conversations vc on vc.deal_id = d.id
        join channel_members vm on vm.channel_id = vc.channel_id
        join users u on u.id = vm.user_id and u.is_active
        where d.id = @dealId and d.assignee_id is null
        """;

    /// <summary>The users who see a lead (@leadId), as <see cref="DealAudience"/>.</summary>
    public const string LeadAudience = """
        select u.id from users u where u.is_active and u.role in ('admin', 'supervisor') and exists (select 1 from leads l where l.id = @leadId)
        union
        select u.id from leads l join users u on u.id = l.assignee_id and u.is_active where l.id = @leadId
        union
        select u.id from leads l
        join conversations vc on vc.lead_id = l.id
        join channel_members vm on vm.channel_id = vc.channel_id
        join users u on u.id = vm.user_id and u.is_active
        where l.id = @leadId and l.assignee_id is null
        """;
}
