namespace ContactCenter.Core;

/// <summary>What the pipeline did with one inbound message.</summary>
public sealed record IngestResult(long MessageId, long ConversationId, long ContactId, bool Duplicate)
{
    /// <summary>The system note "Snooze ended: the customer wrote." when this message woke a snoozed conversation, so it is pushed live with it.</summary>
    public long? WakeNoteId { get; init; }
}
