namespace ContactCenter.Api.Features.Crm;

/// <summary>`dealRemoved` / `leadRemoved`: the deal or lead <see cref="Id"/> is out of the caller's sight, now with <see cref="Assignee"/>.</summary>
public sealed record CrmRemoved(long Id, UserRef? Assignee);
