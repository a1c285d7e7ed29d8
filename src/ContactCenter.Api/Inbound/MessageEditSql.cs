namespace ContactCenter.Api.Inbound;

/// <summary>
/// What an edit of a stored message writes, for the customer's edits (<see cref="InboundPipeline.EditAsync"/>) and the
/// community's edits in VK (<c>VkStore.EditCommunityMessageAsync</c>): over `messages m`, parameters @text and @editedAt.
/// </summary>
internal static class MessageEditSql
{
    /// <summary>The SET list: the new text, the first text kept once (originalText), the edit marked with its time.</summary>
    public const string Set = """
        metadata = coalesce(m.metadata, '{}'::jsonb)
            || case when m.metadata ? 'originalText' then '{}'::jsonb else jsonb_build_object('originalText', coalesce(m.text, '')) end
            || jsonb_build_object('edited', 'true', 'editedAt', @editedAt::text),
        text = @text, updated_at = now()
        """;

    /// <summary>An older edit arriving after a newer one changes nothing.</summary>
    public const string NotOlder = "(m.metadata->>'editedAt' is null or m.metadata->>'editedAt' <= @editedAt::text)";

    /// <summary>
    /// A CTE after `m` (the edit, returning id and conversation_id): the conversation's preview (migration 1147) follows an
    /// edit of its last message, and only of its last.
    /// </summary>
    public const string Preview = """
        p as (
            update conversations set last_preview = left(@text::text, 140)
            from m where conversations.id = m.conversation_id and conversations.last_message_id = m.id
        )
        """;
}
