using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>Pipelines and their ordered stages (admin). A stage with deals cannot be removed: its deals move first.</summary>
public sealed class PipelineService(NpgsqlDataSource db)
{
    public sealed record StageInput(long? Id, string? Name, string? Semantic);

    public sealed record PipelineRequest(string? Name, bool? IsDefault, IReadOnlyList<StageInput>? Stages);

    private static readonly StageInput[] DefaultStages =
        [new(null, "New", "open"), new(null, "In progress", "open"), new(null, "Won", "won"), new(null, "Lost", "lost")];

    private sealed record PipelineRow(long Id, string Name, bool IsDefault, int Sort);

    public async Task<List<PipelineDto>> ListAsync(CancellationToken ct, long? only = null)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition("""
            select id, name, is_default, sort from pipelines where @only::bigint is null or id = @only order by sort, id;
            select id, pipeline_id, name, semantic, sort from stages where @only::bigint is null or pipeline_id = @only order by sort, id;
            """, new { only }, cancellationToken: ct));
        var pipelines = (await grid.ReadAsync<PipelineRow>()).ToList();
        var stages = (await grid.ReadAsync<StageRow>()).ToLookup(s => s.PipelineId);
        return pipelines.Select(p => new PipelineDto(p.Id, p.Name, p.IsDefault, p.Sort,
            stages[p.Id].Select(s => new StageDto(s.Id, s.Name, s.Sort, s.Semantic)).ToList())).ToList();
    }

    public async Task<PipelineDto?> GetAsync(long id, CancellationToken ct) => (await ListAsync(ct, id)).SingleOrDefault();

    public async Task<CrmResult<PipelineDto>> CreateAsync(long actorId, PipelineRequest r, CancellationToken ct)
    {
        var stages = r.Stages is { Count: > 0 } given ? given : DefaultStages;
        if (Validate(r.Name, stages, isNew: true) is { } invalid)
        {
            return invalid;
        }
        long id;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await LockAsync(connection, tx, ct);
            if (await NameTakenAsync(connection, tx, r.Name!, null, ct) is { } taken)
            {
                return taken;
            }
            if (r.IsDefault == true)
            {
                await connection.ExecuteAsync(new CommandDefinition("update pipelines set is_default = false where is_default", transaction: tx, cancellationToken: ct));
            }
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into pipelines (name, is_default, sort) values (@name, @isDefault, (select coalesce(max(sort), 0) + 1 from pipelines)) returning id
                """, new { name = r.Name!.Trim(), isDefault = r.IsDefault == true }, tx, cancellationToken: ct));
            for (var i = 0; i < stages.Count; i++)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "insert into stages (pipeline_id, name, sort, semantic) values (@id, @name, @sort, @semantic)",
                    new { id, name = stages[i].Name!.Trim(), sort = i + 1, semantic = stages[i].Semantic }, tx, cancellationToken: ct));
            }
            await CrmAudit.WriteAsync(connection, tx, actorId, "pipeline.created", "pipeline", id, null, await CrmAudit.PipelineAsync(connection, tx, id, ct), ct);
            await tx.CommitAsync(ct);
        }
        return CrmResult<PipelineDto>.Ok((await GetAsync(id, ct))!);
    }

    /// <summary>Renames the pipeline and replaces its stage list: listed ids are kept (renamed, reordered), new entries added, missing ones removed.</summary>
    public async Task<CrmResult<PipelineDto>> UpdateAsync(long actorId, long id, PipelineRequest r, CancellationToken ct)
    {
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await LockAsync(connection, tx, ct);
            var pipeline = await connection.QuerySingleOrDefaultAsync<PipelineRow>(new CommandDefinition(
                "select id, name, is_default, sort from pipelines where id = @id for update", new { id }, tx, cancellationToken: ct));
            if (pipeline is null)
            {
                return CrmResult<PipelineDto>.NotFound("There is no such pipeline.");
            }
            var existing = (await connection.QueryAsync<StageRow>(new CommandDefinition(
                "select id, pipeline_id, name, semantic, sort from stages where pipeline_id = @id for update", new { id }, tx, cancellationToken: ct))).ToDictionary(s => s.Id);
            var before = await CrmAudit.PipelineAsync(connection, tx, id, ct);
            var stages = r.Stages ?? existing.Values.OrderBy(s => s.Sort).Select(s => new StageInput(s.Id, s.Name, s.Semantic)).ToList();
            if (Validate(r.Name ?? pipeline.Name, stages, isNew: false) is { } invalid)
            {
                return invalid;
            }
            if (r.Name is not null && await NameTakenAsync(connection, tx, r.Name, id, ct) is { } taken)
            {
                return taken;
            }
            for (var i = 0; i < stages.Count; i++)
            {
                if (stages[i].Id is { } sid && !existing.ContainsKey(sid))
                {
                    return CrmResult<PipelineDto>.Invalid($"stages[{i}].id", $"Stage {sid} is not a stage of this pipeline.");
                }
            }
            if (r.IsDefault == false && pipeline.IsDefault)
            {
                return CrmResult<PipelineDto>.Conflict("This is the default pipeline: make another pipeline the default instead.");
            }
            // Stages that go, or change meaning, must be empty.
            var kept = stages.Where(s => s.Id is not null).ToDictionary(s => s.Id!.Value);
            var emptied = existing.Values.Where(s => !kept.TryGetValue(s.Id, out var k) || k.Semantic != s.Semantic).ToList();
            foreach (var stage in emptied)
            {
                var deals = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "select count(*) from deals where stage_id = @id", new { id = stage.Id }, tx, cancellationToken: ct));
                if (deals > 0)
                {
                    var what = kept.ContainsKey(stage.Id) ? "change its type" : "remove it";
                    return CrmResult<PipelineDto>.Conflict($"Stage '{stage.Name}' has {deals} deal(s): move them to another stage before you {what}.");
                }
            }
            foreach (var stage in emptied.Where(s => !kept.ContainsKey(s.Id)))
            {
                var rule = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("""
                    select name from automation_rules
                    where (trigger ->> 'stageId')::bigint = @id or jsonb_path_exists(actions, '$[*] ? (@.stageId == $s)', jsonb_build_object('s', @id))
                       or jsonb_path_exists(conditions, '$[*] ? (@.field == "stageId" && (@.value == $s || @.value == $t))', jsonb_build_object('s', @id, 't', @id::text))
                    limit 1
                    """, new { id = stage.Id }, tx, cancellationToken: ct));
                if (rule is not null)
                {
                    return CrmResult<PipelineDto>.Conflict($"Stage '{stage.Name}' is used by automation rule '{rule}': change the rule first.");
                }
                await connection.ExecuteAsync(new CommandDefinition("delete from stages where id = @id", new { id = stage.Id }, tx, cancellationToken: ct));
            }
            for (var i = 0; i < stages.Count; i++)
            {
                var s = stages[i];
                await connection.ExecuteAsync(new CommandDefinition(s.Id is null
                    ? "insert into stages (pipeline_id, name, sort, semantic) values (@pipelineId, @name, @sort, @semantic)"
                    : "update stages set name = @name, sort = @sort, semantic = @semantic where id = @id",
                    new { pipelineId = id, s.Id, name = s.Name!.Trim(), sort = i + 1, semantic = s.Semantic }, tx, cancellationToken: ct));
            }
            if (r.IsDefault == true && !pipeline.IsDefault)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "update pipelines set is_default = false where is_default; update pipelines set is_default = true where id = @id", new { id }, tx, cancellationToken: ct));
            }
            await connection.ExecuteAsync(new CommandDefinition("update pipelines set name = @name where id = @id",
                new { id, name = (r.Name ?? pipeline.Name).Trim() }, tx, cancellationToken: ct));
            await CrmAudit.WriteAsync(connection, tx, actorId, "pipeline.updated", "pipeline", id, before, await CrmAudit.PipelineAsync(connection, tx, id, ct), ct);
            await tx.CommitAsync(ct);
        }
        return CrmResult<PipelineDto>.Ok((await GetAsync(id, ct))!);
    }

    /// <summary>
    /// Creates and updates of pipelines take turns, before any row is locked: a name checked as free stays free until the
    /// commit (of two admins creating one name at once one is refused), and of two admins making pipelines the default at
    /// once the second clears the first's default instead of failing on the one-default index (a 500), with no deadlock
    /// between a rename that holds its row and a change of default that must clear that row.
    /// </summary>
    private static Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('pipelines.name'))", transaction: tx, cancellationToken: ct));

    /// <summary>
    /// Two pipelines of one name cannot be told apart on the board's picker, in reports or in a tunnel's target: a name is
    /// unique regardless of case in any script (ICU lower case, as labels and catalogs). Checked under <see cref="LockAsync"/>.
    /// </summary>
    private static async Task<CrmResult<PipelineDto>?> NameTakenAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string name, long? except, CancellationToken ct)
    {
        var taken = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists(select 1 from pipelines where lower(name collate \"und-x-icu\") = lower(@name collate \"und-x-icu\") and id is distinct from @except)",
            new { name = name.Trim(), except }, tx, cancellationToken: ct));
        return taken ? CrmResult<PipelineDto>.Conflict($"A pipeline named '{name.Trim()}' already exists.") : null;
    }

    public async Task<CrmResult<bool>> DeleteAsync(long actorId, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var isDefault = await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(
            "select is_default from pipelines where id = @id for update", new { id }, tx, cancellationToken: ct));
        if (isDefault is null)
        {
            return CrmResult<bool>.NotFound("There is no such pipeline.");
        }
        if (isDefault.Value)
        {
            return CrmResult<bool>.Conflict("The default pipeline cannot be removed: make another pipeline the default first.");
        }
        var deals = await connection.ExecuteScalarAsync<long>(new CommandDefinition("select count(*) from deals where pipeline_id = @id", new { id }, tx, cancellationToken: ct));
        if (deals > 0)
        {
            return CrmResult<bool>.Conflict($"The pipeline has {deals} deal(s): move them to another pipeline first.");
        }
        var rule = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("""
            select name from automation_rules
            where (trigger ->> 'pipelineId')::bigint = @id or jsonb_path_exists(actions, '$[*] ? (@.pipelineId == $p)', jsonb_build_object('p', @id))
               or (trigger ->> 'stageId')::bigint in (select id from stages where pipeline_id = @id)
               or jsonb_path_exists(conditions, '$[*] ? (@.field == "pipelineId" && (@.value == $p || @.value == $t))', jsonb_build_object('p', @id, 't', @id::text))
               or exists (select 1 from jsonb_array_elements(conditions) c join stages s on s.pipeline_id = @id
                          where c ->> 'field' = 'stageId' and c -> 'value' in (to_jsonb(s.id), to_jsonb(s.id::text)))
            limit 1
            """, new { id }, tx, cancellationToken: ct));
        if (rule is not null)
        {
            return CrmResult<bool>.Conflict($"The pipeline is used by automation rule '{rule}': change the rule first.");
        }
        var before = await CrmAudit.PipelineAsync(connection, tx, id, ct);
        await connection.ExecuteAsync(new CommandDefinition("delete from pipelines where id = @id", new { id }, tx, cancellationToken: ct));
        await CrmAudit.WriteAsync(connection, tx, actorId, "pipeline.deleted", "pipeline", id, before, null, ct);
        await tx.CommitAsync(ct);
        return CrmResult<bool>.Ok(true);
    }

    private static CrmResult<PipelineDto>? Validate(string? name, IReadOnlyList<StageInput> stages, bool isNew)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            return CrmResult<PipelineDto>.Invalid("name", "A name of at most 200 characters is required.");
        }
        if (stages.Count > 50)
        {
            return CrmResult<PipelineDto>.Invalid("stages", "A pipeline has at most 50 stages.");
        }
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] is null)
            {
                return CrmResult<PipelineDto>.Invalid($"stages[{i}]", "Each stage is an object: {name, semantic, id?}.");
            }
            if (string.IsNullOrWhiteSpace(stages[i].Name) || stages[i].Name!.Length > 200)
            {
                return CrmResult<PipelineDto>.Invalid($"stages[{i}].name", "Each stage needs a name of at most 200 characters.");
            }
            if (stages[i].Semantic is not ("open" or "won" or "lost"))
            {
                return CrmResult<PipelineDto>.Invalid($"stages[{i}].semantic", "A stage's semantic is open, won or lost.");
            }
            if (isNew && stages[i].Id is not null)
            {
                return CrmResult<PipelineDto>.Invalid($"stages[{i}].id", "A new pipeline's stages have no ids yet.");
            }
        }
        if (stages.GroupBy(s => s.Id).Any(g => g.Key is not null && g.Count() > 1))
        {
            return CrmResult<PipelineDto>.Invalid("stages", "A stage is listed twice.");
        }
        if (!stages.Any(s => s.Semantic == "open") || stages.Count(s => s.Semantic == "won") != 1 || !stages.Any(s => s.Semantic == "lost"))
        {
            return CrmResult<PipelineDto>.Invalid("stages", "A pipeline needs at least one open stage, exactly one won stage and at least one lost stage.");
        }
        return null;
    }
}
