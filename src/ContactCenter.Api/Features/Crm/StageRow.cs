using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

public sealed record StageRow(long Id, long PipelineId, string Name, string Semantic, int Sort)
{
    private const string Select = "select s.id, s.pipeline_id, s.name, s.semantic, s.sort from stages s";

    public static Task<StageRow?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long stageId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<StageRow>(new CommandDefinition(Select + " where s.id = @stageId", new { stageId }, tx, cancellationToken: ct));

    /// <summary>The first open stage of the pipeline (the default pipeline when null): where new deals start.</summary>
    public static Task<StageRow?> EntryAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long? pipelineId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<StageRow>(new CommandDefinition(
            Select + " join pipelines p on p.id = s.pipeline_id where (p.id = @pipelineId or (@pipelineId::bigint is null and p.is_default)) and s.semantic = 'open' order by s.sort, s.id limit 1",
            new { pipelineId }, tx, cancellationToken: ct));

    /// <summary>The pipeline's first stage with this semantic (won or lost).</summary>
    public static Task<StageRow?> FirstAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long pipelineId, string semantic, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<StageRow>(new CommandDefinition(
            Select + " where s.pipeline_id = @pipelineId and s.semantic = @semantic order by s.sort, s.id limit 1",
            new { pipelineId, semantic }, tx, cancellationToken: ct));
}
