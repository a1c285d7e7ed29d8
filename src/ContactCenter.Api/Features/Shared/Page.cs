namespace ContactCenter.Api.Features.Shared;

/// <summary>One page of a keyset-paginated list: its items and the cursor of the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
