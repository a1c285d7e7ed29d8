namespace ContactCenter.Api.Features.Crm;

/// <summary>The deal a lead becomes (<see cref="LeadWrites.ConvertAsync"/>): its stage, title (null: the lead's), money and assignee.</summary>
public sealed record LeadConversion(StageRow Stage, string? Title, decimal Amount, string? Currency, long? AssigneeId);
