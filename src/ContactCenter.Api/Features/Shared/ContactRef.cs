namespace ContactCenter.Api.Features.Shared;

/// <summary>A contact as other records name it: its id and display name.</summary>
public sealed record ContactRef(long Id, string Name);
