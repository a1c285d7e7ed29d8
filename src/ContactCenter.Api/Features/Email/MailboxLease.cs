using ContactCenter.Connectors.Email;
using Dapper;
using Npgsql;
using static ContactCenter.Connectors.Email.IMailboxLease;

namespace ContactCenter.Api.Features.Email;

/// <summary>
/// A session-level PostgreSQL advisory lock on one mailbox, held on its own connection for as long as this node
/// reads it: exactly one node reads a mailbox at a time. The reader's sync state is written on the same connection,
/// so a node that lost the lock (its connection died) cannot move the state.
/// </summary>
public sealed class MailboxLease : IMailboxLease
{
    private readonly NpgsqlConnection connection;
    private readonly SemaphoreSlim gate = new(1, 1);

    private MailboxLease(NpgsqlConnection connection, long channelId)
    {
        this.connection = connection;
        ChannelId = channelId;
    }

    public long ChannelId { get; }

    /// <returns>The lease, or null when another node holds it.</returns>
    public static async Task<MailboxLease?> TryAcquireAsync(NpgsqlDataSource db, long channelId, CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock(hashtextextended('cc-email-reader:' || @channelId::text, 0))", connection);
            command.Parameters.AddWithValue("channelId", channelId);
            if (await command.ExecuteScalarAsync(ct) is true)
            {
                return new MailboxLease(connection, channelId);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    public Task<MailboxState?> GetStateAsync(CancellationToken ct) => UseAsync(c =>
        c.QuerySingleOrDefaultAsync<MailboxState>(new CommandDefinition(
            "select uid_validity, last_uid from email_mailbox_state where channel_id = @channelId", new { channelId = ChannelId }, cancellationToken: ct)));

    public Task SaveStateAsync(long uidValidity, long uid, CancellationToken ct) => UseAsync(c =>
        c.ExecuteAsync(new CommandDefinition("""
            insert into email_mailbox_state (channel_id, uid_validity, last_uid, updated_at) values (@channelId, @uidValidity, @uid, now())
            on conflict (channel_id) do update set
                last_uid = case when email_mailbox_state.uid_validity = excluded.uid_validity
                                then greatest(email_mailbox_state.last_uid, excluded.last_uid) else excluded.last_uid end,
                uid_validity = excluded.uid_validity, updated_at = now()
            """, new { channelId = ChannelId, uidValidity, uid }, cancellationToken: ct)));

    private async Task<T> UseAsync<T>(Func<NpgsqlConnection, Task<T>> action)
    {
        await gate.WaitAsync();
        try
        {
            return await action(connection);
        }
        catch (NpgsqlException ex) when (connection.FullState is System.Data.ConnectionState.Broken or System.Data.ConnectionState.Closed)
        {
            throw new LeaseLostException(ex);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>False when the lock's connection is gone (then another node may hold the mailbox).</summary>
    public async Task<bool> IsAliveAsync()
    {
        try
        {
            await UseAsync(async c =>
            {
                await using var command = new NpgsqlCommand("select 1", c);
                return await command.ExecuteScalarAsync();
            });
            return true;
        }
        catch (Exception ex) when (ex is LeaseLostException or NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var command = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended('cc-email-reader:' || @channelId::text, 0))", connection);
                command.Parameters.AddWithValue("channelId", ChannelId);
                await command.ExecuteScalarAsync();
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A dead connection released the lock with it.
        }
        await connection.DisposeAsync();
        gate.Dispose();
    }
}
