using System.Text.Json.Nodes;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Channels;

/// <summary>Reads channels for connectors; a short cache keeps webhooks off the database for the lookup.</summary>
public sealed class ChannelStore(NpgsqlDataSource db) : IChannelDirectory, IChannelCursors
{
    internal sealed record ChannelRow(long Id, string Kind, string Name, bool Enabled, string Settings, string? PublicKey, string? StatusError,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ArchivedAt)
    {
        // An archived channel is off for every connector, whatever its enabled flag says (archiving also clears it).
        public ChannelInfo ToInfo() => new(Id, Kind, Name, Enabled && ArchivedAt is null, JsonNode.Parse(Settings)!.AsObject(), PublicKey);
    }

    internal const string SelectChannels = """
        select id, kind, name, enabled, settings::text as settings, public_key, status_error, created_at, updated_at, archived_at from channels
        """;

    public async Task<ChannelInfo?> FindAsync(long channelId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ChannelRow>(new CommandDefinition(SelectChannels + " where id = @channelId", new { channelId }, cancellationToken: cancellationToken));
        return row?.ToInfo();
    }

    public async Task<ChannelInfo?> FindByPublicKeyAsync(string publicKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ChannelRow>(new CommandDefinition(SelectChannels + " where public_key = @publicKey", new { publicKey }, cancellationToken: cancellationToken));
        return row?.ToInfo();
    }

    public async Task SetStatusErrorAsync(long channelId, string? error, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update channels set status_error = @error, updated_at = now() where id = @channelId", new { channelId, error }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ChannelInfo>> ListAsync(string kind, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChannelRow>(new CommandDefinition(SelectChannels + " where kind = @kind order by id", new { kind }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToInfo()).ToList();
    }

    public async Task<string?> GetCursorAsync(long channelId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select value from channel_cursors where channel_id = @channelId and name = @name", new { channelId, name }, cancellationToken: cancellationToken));
    }

    public async Task SetCursorAsync(long channelId, string name, string value, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into channel_cursors (channel_id, name, value) values (@channelId, @name, @value)
            on conflict (channel_id, name) do update set value = excluded.value, updated_at = now()
            """, new { channelId, name, value }, cancellationToken: cancellationToken));
    }

    public async Task<bool> TryLeaseAsync(long channelId, string name, string owner, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            with lease as (
                insert into channel_cursors (channel_id, name, value) select id, @name, @owner from channels where id = @channelId
                on conflict (channel_id, name) do update set value = excluded.value, updated_at = now()
                where channel_cursors.value = excluded.value or channel_cursors.updated_at < now() - @ttl
                returning 1
            )
            select exists (select 1 from lease)
            """, new { channelId, name, owner, ttl }, cancellationToken: cancellationToken));
    }
}
