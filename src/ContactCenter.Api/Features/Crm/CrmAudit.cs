using System.Globalization;
using ContactCenter.Api.Features.Audit;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>CRM configuration changes in the audit log, written in the change's transaction.</summary>
public static class CrmAudit
{
    public sealed record StageState(long Id, string Name, string Semantic);

    public sealed record PipelineState(string Name, bool IsDefault, List<StageState> Stages);

    private sealed record PipelineHead(string Name, bool IsDefault);

    public static async Task<PipelineState?> PipelineAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        var head = await connection.QuerySingleOrDefaultAsync<PipelineHead>(new CommandDefinition(
            "select name, is_default from pipelines where id = @id", new { id }, tx, cancellationToken: ct));
        if (head is null)
        {
            return null;
        }
        var stages = await connection.QueryAsync<StageState>(new CommandDefinition(
            "select id, name, semantic from stages where pipeline_id = @id order by sort, id", new { id }, tx, cancellationToken: ct));
        return new PipelineState(head.Name, head.IsDefault, stages.ToList());
    }

    public static Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long? actorId, string action, string subjectType, long? subjectId,
        object? before, object? after, CancellationToken ct) =>
        AuditLog.WriteAsync(connection, tx, new AuditEntry(actorId, action, subjectType, subjectId?.ToString(CultureInfo.InvariantCulture), before, after), ct);
}
