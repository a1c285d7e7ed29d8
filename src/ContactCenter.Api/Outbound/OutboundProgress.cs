using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Outbound;

/// <summary>The parts of a multi-part send already delivered, as `sent:{part}` = the provider's id in the message's metadata.</summary>
public sealed class OutboundProgress(NpgsqlDataSource db) : IOutboundProgress
{
    private const string Prefix = "sent:";

    public async Task<IReadOnlyDictionary<string, string>> SentPartsAsync(long messageId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Key, string Value)>(new CommandDefinition("""
            select e.key, e.value from messages m cross join lateral jsonb_each_text(coalesce(m.metadata, '{}'::jsonb)) e
            where m.id = @messageId and starts_with(e.key, @prefix)
            """, new { messageId, prefix = Prefix }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Key[Prefix.Length..], r => r.Value);
    }

    public async Task RecordPartAsync(long messageId, string part, string externalId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            update messages set metadata = coalesce(metadata, '{}'::jsonb) || jsonb_build_object(@key::text, @externalId::text)
            where id = @messageId
            """, new { messageId, key = Prefix + part, externalId }, cancellationToken: cancellationToken));
    }
}
