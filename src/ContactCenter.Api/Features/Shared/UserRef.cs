namespace ContactCenter.Api.Features.Shared;

/// <summary>A user (assignee, author) as other records name them: their id and name.</summary>
public sealed record UserRef(long Id, string Name);
