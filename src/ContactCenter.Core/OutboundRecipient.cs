namespace ContactCenter.Core;

/// <param name="Address">The contact's identity on this channel's kind (the same value the inbound side used).</param>
public sealed record OutboundRecipient(long ContactId, string Address, string? Name, string? Email, string? Phone);
