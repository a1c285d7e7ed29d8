namespace ContactCenter.Api.Features.Messages;

/// <summary>
/// What a message written by <see cref="MessageWriter"/> changes on its conversation: always `updated_at`, and
/// `last_message_id` for an outbound message; the options below as the caller's kind of message needs them.
/// </summary>
/// <param name="Activity">Moves `last_activity_at` (a CSAT survey does not).</param>
/// <param name="Answers">A person's outbound reply answers the customer: clears the wait and the SLA breach, sets the first reply.</param>
/// <param name="TakeFor">An outbound reply assigns an unassigned conversation to this user (a manager's reply takes it).</param>
public sealed record ConversationBump(bool Activity = true, bool Answers = false, long? TakeFor = null)
{
    /// <summary>Last message (when outbound) and last activity.</summary>
    public static readonly ConversationBump Touch = new();
}
