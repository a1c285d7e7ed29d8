namespace ContactCenter.Connectors.Email;

/// <summary>
/// One node's exclusive hold on a mailbox for as long as it reads it (the host keeps it as a PostgreSQL session lock):
/// exactly one node reads a mailbox at a time. The sync state is written under the same hold, so a node that lost it
/// cannot move the state; any use after the hold is gone throws <see cref="LeaseLostException"/>.
/// </summary>
public interface IMailboxLease : IAsyncDisposable
{
    public sealed record MailboxState(long UidValidity, long LastUid);

    Task<MailboxState?> GetStateAsync(CancellationToken cancellationToken);

    /// <summary>Records that every message up to <paramref name="uid"/> is stored. A new UIDVALIDITY replaces the old state.</summary>
    Task SaveStateAsync(long uidValidity, long uid, CancellationToken cancellationToken);

    /// <summary>False when the hold is gone (then another node may hold the mailbox).</summary>
    Task<bool> IsAliveAsync();
}
