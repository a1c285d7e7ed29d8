namespace ContactCenter.Api.Features.Crm;

/// <summary>An activity to insert on a lead or deal (<see cref="ActivityService.InsertAsync"/>).</summary>
/// <param name="CreatedBy">The person who planned it; null for automation and the call ledger.</param>
public sealed record NewActivity(Subject Subject, string Type, string Title, string? Description, DateTimeOffset DueAt, long? AssigneeId, long? CreatedBy);
