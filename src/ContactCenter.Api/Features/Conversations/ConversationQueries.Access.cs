using ContactCenter.Api.Auth;
using Dapper;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>Who may work a conversation, beyond seeing it (<see cref="Visible"/>): the participants' rule.</summary>
public sealed partial class ConversationQueries
{
    /// <summary>
    /// Who works a conversation: <see cref="Visible"/> without the participants. A colleague @mentioned into a conversation
    /// reads it and answers in a private note; replying to the customer, assigning, snoozing, changing its status and
    /// sending a failed message again are for its assignee, the channel's members while it waits, and staff.
    /// </summary>
    public const string Works = """
        (@staff or c.assignee_id = @me or (c.assignee_id is null and exists (select 1 from channel_members cm where cm.channel_id = c.channel_id and cm.user_id = @me)))
        """;

    public enum Access { None, Participant, Works }

    /// <summary>The caller's <see cref="Access"/> to @conversationId as a number (0, 1, 2), for a statement to read in its own transaction.</summary>
    public const string AccessOf = $"""
        select coalesce((select case when {Works} then 2 else 1 end from conversations c where c.id = @conversationId and {Visible} for share), 0)
        """;

    /// <summary>What the user may do with the conversation: nothing (also when it does not exist), read it as a participant, or work it.</summary>
    public async Task<Access> AccessAsync(CurrentUser me, long conversationId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (Access)await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            AccessOf,
            new { conversationId, me = me.Id, staff = me.IsStaff }, cancellationToken: ct));
    }

    /// <summary>The answer to a participant who tries to work a conversation (reply to the customer, assign, snooze, status, retry).</summary>
    public const string ParticipantOnly =
        "You were mentioned in this conversation: you can read it and answer in a private note; its assignee works it.";
}
