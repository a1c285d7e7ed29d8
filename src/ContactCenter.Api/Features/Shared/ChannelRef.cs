namespace ContactCenter.Api.Features.Shared;

/// <summary>A channel as other records name it: its id, kind and name.</summary>
public sealed record ChannelRef(long Id, string Kind, string Name);
