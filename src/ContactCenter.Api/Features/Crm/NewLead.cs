namespace ContactCenter.Api.Features.Crm;

/// <summary>A lead to insert (<see cref="LeadWrites.InsertAsync(CrmWrite, NewLead, CancellationToken)"/>).</summary>
/// <param name="CreatedData">The `created` timeline entry's data (where the lead came from).</param>
public sealed record NewLead(long ContactId, string Title, long? AssigneeId, string? Source, object CreatedData);
