namespace ContactCenter.Connectors.Email;

/// <summary>
/// What the email connector needs stored beyond the inbound pipeline; the host implements it (the connector knows no
/// storage): the enabled mailboxes and the nodes that read them, one node's lease on a mailbox, thread lookups by
/// Message-ID, and what an outbound reply needs to thread in the customer's mail client.
/// </summary>
public interface IEmailStore
{
    public sealed record EmailChannelRow(long Id, string Settings, DateTimeOffset UpdatedAt);

    /// <summary>The parent of a reply (the latest message of the conversation that has a real Message-ID) and the thread's subject.</summary>
    public sealed record ThreadInfo(string? ParentMessageId, string? ParentReferences, string? Subject);

    Task<List<EmailChannelRow>> ListEnabledChannelsAsync(CancellationToken cancellationToken);

    /// <summary>Records this node's heartbeat, forgets nodes silent for longer than <paramref name="timeout"/>, and returns how many read mail.</summary>
    Task<int> HeartbeatAsync(string nodeId, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>A node that stops reading says so, so the others take its mailboxes at their next scan.</summary>
    Task LeaveAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>This node's exclusive lease on one mailbox, or null when another node holds it.</summary>
    Task<IMailboxLease?> TryLeaseMailboxAsync(long channelId, CancellationToken cancellationToken);

    /// <summary>
    /// The thread (conversation thread_key) a reply belongs to: a referenced Message-ID (ours or theirs) stored on this
    /// channel, then the subject token `[#CC-n]`; only when that conversation's contact is the sender.
    /// </summary>
    Task<string?> FindThreadAsync(long channelId, string senderAddress, IReadOnlyList<string> referencedIds, long? tokenConversationId, CancellationToken cancellationToken);

    /// <summary>
    /// True when an email stored on this channel under <paramref name="externalId"/> (its Message-ID) is another email: its
    /// fingerprint (sender, Date, subject, text) differs. False for none, for the same email read again, and for one stored
    /// without a fingerprint.
    /// </summary>
    Task<bool> IsAnotherEmailAsync(long channelId, string externalId, string fingerprint, CancellationToken cancellationToken);

    Task<ThreadInfo> LoadThreadAsync(long conversationId, long excludeMessageId, CancellationToken cancellationToken);

    /// <summary>Adds provider facts (all strings: clients read metadata as a string map) to a message's metadata.</summary>
    Task MergeMetadataAsync(long messageId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>
    /// Clears a status error the reader set itself (errors of the set-up check about SMTP stay): connection errors on
    /// connect; with <paramref name="storeFailure"/>, the report of an email that could not be stored
    /// (<see cref="MailboxReader.StoreFailurePrefix"/>), once it is.
    /// </summary>
    Task ClearImapErrorAsync(long channelId, bool storeFailure, CancellationToken cancellationToken);

    /// <summary>
    /// Shows the reader's own IMAP problem on the channel in place of an earlier IMAP one, keeping what the set-up check or
    /// a send said about SMTP ("IMAP login failed ... SMTP: cannot connect ..." stays whole but for its IMAP half).
    /// </summary>
    Task SetImapErrorAsync(long channelId, string error, CancellationToken cancellationToken);
}
