namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The rules of a lead's life, in one place and without SQL or a clock: a lead is new, then in work (set by hand, or by
/// assigning a new lead), and ends converted (into a deal) or junk (with a reason). An ended lead changes no more. Each
/// check answers null when allowed, else the 400 or 409 to give.
/// </summary>
/// <param name="Status">new, in_work, converted or junk.</param>
public sealed record LeadLifecycle(string Status)
{
    public static LeadLifecycle Of(LeadState lead) => new(lead.Status);

    /// <summary>Still being worked on (new or in_work): it may be edited, converted or junked.</summary>
    public bool IsActive => Status is "new" or "in_work";

    /// <summary>A status a PATCH may set: new or in_work (null: leave it); ending a lead has its own routes.</summary>
    public static CrmResult<object>? CheckStatusRequest(string? status) =>
        status is null or "new" or "in_work" ? null
        : CrmResult<object>.Invalid("status", "status can be set to new or in_work; use /convert or /junk to close a lead.");

    /// <summary>Only an active lead is edited.</summary>
    public CrmResult<object>? CheckEdit() => IsActive ? null : CrmResult<object>.Conflict($"The lead is {Status}.");

    /// <summary>Only an active lead is converted or junked.</summary>
    public CrmResult<object>? CheckEnd() => IsActive ? null : CrmResult<object>.Conflict($"The lead is already {Status}.");

    /// <summary>The status after an edit: the one asked for, else in work when a new lead gets an assignee, else unchanged.</summary>
    public string StatusAfterEdit(string? requested, bool assigneeSent, long? assigneeId) =>
        requested ?? (assigneeSent && assigneeId is not null && Status == "new" ? "in_work" : Status);

    /// <summary>A junk needs a reason: a junk reason id or a text of at most 1000 characters.</summary>
    public static CrmResult<object>? CheckJunkRequest(long? junkReasonId, string? reason) =>
        (junkReasonId is null && string.IsNullOrWhiteSpace(reason)) || reason?.Length > 1000
            ? CrmResult<object>.Invalid("junkReasonId", "A junk reason is required: junkReasonId (GET /api/junk-reasons) or a reason text of at most 1000 characters.")
            : null;
}
