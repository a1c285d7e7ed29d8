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

    /// <summary>The users who see a deal (@dealId): staff, its assignee, or when unassigned the members of its conversations' channels.</summary>
    public const string DealAudience = """
        select u.id from users u join deals d on d.id = @dealId
        where u.is_active and (u.role in ('admin', 'supervisor') or u.id = d.assignee_id or (d.assignee_id is null and exists (
            select 1 from conversations vc join channel_members vm on vm.channel_id = vc.channel_id and vm.user_id = u.id where vc.deal_id = d.id)))
        """;

    public const string LeadAudience = """
        select u.id from users u join leads l on l.id = @leadId
        where u.is_active and (u.role in ('admin', 'supervisor') or u.id = l.assignee_id or (l.assignee_id is null and exists (
            select 1 from conversations vc join channel_members vm on vm.channel_id = vc.channel_id and vm.user_id = u.id where vc.lead_id = l.id)))
        """;
}
