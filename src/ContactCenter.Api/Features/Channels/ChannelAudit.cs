using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Audit;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Channels;

/// <summary>
/// Channel changes in the audit log, in the change's transaction. A channel is recorded as clients see it (secrets
/// removed from `settings`, only their names in `secretsSet`), plus which secrets a change replaced.
/// </summary>
public static class ChannelAudit
{
    public sealed record State(string Kind, string Name, bool Enabled, JsonObject Settings, string[] SecretsSet);

    public static async Task<State?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long id, ChannelKindRegistry kinds, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ChannelStore.ChannelRow>(new CommandDefinition(
            ChannelStore.SelectChannels + " where id = @id for update", new { id }, tx, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var dto = ChannelsApi.ToDto(row, kinds, Array.Empty<long>().ToLookup(m => m));
        return new State(dto.Kind, dto.Name, dto.Enabled, dto.Settings, dto.SecretsSet);
    }

    public static Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long actorId, string action, long channelId,
        object? before, object? after, CancellationToken ct) =>
        AuditLog.WriteAsync(connection, tx, new AuditEntry(actorId, action, "channel", channelId.ToString(System.Globalization.CultureInfo.InvariantCulture), before, after), ct);

    /// <summary>The secret settings a request sets (their names only), so a rotation shows in the log without its value.</summary>
    public static string[] SecretsChanged(JsonObject? requested, ChannelKindRegistry kinds, string kind) =>
        requested is null ? [] : [.. requested.Select(p => p.Key).Where(k => kinds.Find(kind)?.SecretSettings.Contains(k) == true)];
}
