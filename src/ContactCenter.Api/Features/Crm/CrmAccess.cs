using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Shared;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The one visibility rule of the product (docs/API-EXTENSIONS.md, "Visibility rule"). Staff (admins, supervisors)
/// see everything. A manager sees a conversation assigned to them or unassigned in a channel they are a member of
/// (ConversationQueries.Visible); a lead or deal assigned to them or with one conversation they see; a contact with
/// one conversation, lead or deal they see. Anything else answers exactly as a missing id. Parameters: @me, @staff.
/// </summary>
public static class CrmAccess
{
    /// <summary>The conversation rule over alias `vc` (the manager's half: staff is tested by the caller).</summary>
    public const string ConversationSeen = """
        (vc.assignee_id = @me or (vc.assignee_id is null and exists (
            select 1 from channel_members vm where vm.channel_id = vc.channel_id and vm.user_id = @me)))
        """;

    /// <summary>Over alias `d` (deals).</summary>
    public const string DealVisible = $"""
        (@staff or d.assignee_id = @me or exists (select 1 from conversations vc where vc.deal_id = d.id and {ConversationSeen}))
        """;

    /// <summary>
    /// <see cref="DealVisible"/> for a manager's list, in a form both halves of which are index conditions: the deals assigned
    /// to them (the assignee index) or one of the deals of the conversations they see (read once, then the primary key), so
    /// PostgreSQL can AND them with the filters' indexes before reading a row. The list reads it inside a fence
    /// (<see cref="ListSql"/>), so its cost is bounded by what the manager sees, whatever the filters match.
    /// </summary>
    public const string DealVisibleSet = $"""
        (d.assignee_id = @me or d.id = any(array(select vc.deal_id from conversations vc where vc.deal_id is not null and {ConversationSeen})))
        """;

    /// <summary><see cref="LeadVisible"/> for a manager's list, as <see cref="DealVisibleSet"/>.</summary>
    public const string LeadVisibleSet = $"""
        (l.assignee_id = @me or l.id = any(array(select vc.lead_id from conversations vc where vc.lead_id is not null and {ConversationSeen})))
        """;

    /// <summary>Over alias `l` (leads).</summary>
    public const string LeadVisible = $"""
        (@staff or l.assignee_id = @me or exists (select 1 from conversations vc where vc.lead_id = l.id and {ConversationSeen}))
        """;

    /// <summary>
    /// Over alias `ct` (contacts): the caller created it (by hand or import, issue #17) and it has no conversation, lead or deal
    /// yet, or one of its conversations, leads or deals is visible to the caller. Creating a contact gives no lasting claim:
    /// once a customer with that address writes in and is routed to a colleague, the creator sees it only as anyone else does. The lead and deal
    /// halves repeat <see cref="LeadVisible"/> and <see cref="DealVisible"/> under their own aliases, so the fragment can
    /// sit inside a query that already uses `l` or `d`.
    /// </summary>
    public const string ContactVisible = $"""
        (@staff or (ct.created_by is not null and ct.created_by = @me
                and not exists (select 1 from conversations oc where oc.contact_id = ct.id)
                and not exists (select 1 from deals od where od.contact_id = ct.id)
                and not exists (select 1 from leads ol where ol.contact_id = ct.id))
            or exists (select 1 from conversations vc where vc.contact_id = ct.id and {ConversationSeen})
            or exists (select 1 from deals vd where vd.contact_id = ct.id and (vd.assignee_id = @me
                or exists (select 1 from conversations vc where vc.deal_id = vd.id and {ConversationSeen})))
            or exists (select 1 from leads vl where vl.contact_id = ct.id and (vl.assignee_id = @me
                or exists (select 1 from conversations vc where vc.lead_id = vl.id and {ConversationSeen}))))
        """;

    /// <summary>
    /// Which entries of a timeline that carry what was said in a conversation (alias `t`: types `message`, `call`, `csat` (the
    /// customer's rating and comment) and `participants` (a mention in a note), each with data.conversationId) a manager sees:
    /// those of a conversation they may open in the inbox (<see cref="ConversationSeen"/>), whoever owns the lead or deal.
    /// (An exception once showed a lead's or deal's owner its UNASSIGNED conversations in channels they are not a member of:
    /// an outside check took a customer's lead through one reply on a shared channel and then read, live, the customer's
    /// messages and a colleague's private notes in a channel closed to them.) The subject itself must be visible (checked
    /// before). Parameters: @me, @staff.
    /// </summary>
    public const string TimelineEntryVisible = $"""
        (@staff or t.type not in ('message', 'call', 'csat', 'participants') or t.data ->> 'conversationId' is null or exists (
            select 1 from conversations vc where vc.id = (t.data ->> 'conversationId')::bigint and {ConversationSeen}))
        """;

    /// <summary>
    /// A lead or deal a colleague owns is theirs to change. A manager may see it (through an unassigned conversation of a
    /// channel they share) and read it, comment on it and plan activities on it, but its fields, stage, owner and end
    /// (close, reopen, convert, junk) change only by its owner or staff: as a conversation someone has taken ("Someone
    /// else has taken this conversation"), else a manager could take a colleague's customer, and with it the timeline of
    /// its other conversations. Null when the caller may change it.
    /// </summary>
    public static CrmResult<object>? CheckOwner(CurrentUser me, long? assigneeId, string subject) =>
        me.IsStaff || assigneeId is null || assigneeId == me.Id
            ? null
            : CrmResult<object>.Conflict(subject == "lead"
                ? "A colleague owns this lead: only they or a supervisor can change it."
                : "A colleague owns this deal: only they or a supervisor can change it.");

    /// <summary>
    /// The users who see a deal (@dealId): staff, its assignee, the assignees of its conversations and the members of the
    /// channels of its unassigned conversations. A union of sets rather than the visibility rule tested per user: with a
    /// thousand managers the per-user test probed the deal's conversations a thousand times (about 5 ms a push in the benchmark).
    /// </summary>
    public static readonly string DealAudience = Audience("deals", "deal_id", "@dealId");

    /// <summary>The users who see a lead (@leadId), as <see cref="DealAudience"/>.</summary>
    public static readonly string LeadAudience = Audience("leads", "lead_id", "@leadId");

    private static string Audience(string table, string conversationColumn, string id) => $"""
        select u.id from users u where u.is_active and u.role in ('admin', 'supervisor') and exists (select 1 from {table} s where s.id = {id})
        union
        select u.id from {table} s join users u on u.id = s.assignee_id and u.is_active where s.id = {id}
        union
        select u.id from conversations vc join users u on u.id = vc.assignee_id and u.is_active where vc.{conversationColumn} = {id}
        union
        select u.id from conversations vc
        join channel_members vm on vm.channel_id = vc.channel_id
        join users u on u.id = vm.user_id and u.is_active
        where vc.{conversationColumn} = {id} and vc.assignee_id is null
        """;
}
