using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm.Automation;

public sealed record AutomationRuleDto(long Id, string Name, bool Enabled, JsonNode Trigger, string? Delay, JsonNode Conditions, JsonNode Actions,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// Automation rules (admin): `{name, enabled, trigger, delay?, conditions?, actions}`. A rule is checked whole
/// before it is saved: known trigger and action types with their parameters, existing stages, pipelines and users,
/// and no cycle — a rule whose actions could (through other rules) trigger itself again is refused with the path.
/// </summary>
public sealed class AutomationRules(NpgsqlDataSource db)
{
    public static readonly string[] Actions = ["createActivity", "sendMessage", "notify", "moveStage", "assign", "createDeal", "addLabel"];

    private sealed class Row
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public bool Enabled { get; init; }
        public string Trigger { get; init; } = "{}";
        public string? Delay { get; init; }
        public string Conditions { get; init; } = "[]";
        public string Actions { get; init; } = "[]";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        public AutomationRuleDto ToDto() => new(Id, Name, Enabled, JsonNode.Parse(Trigger)!, Delay, JsonNode.Parse(Conditions)!, JsonNode.Parse(Actions)!, CreatedAt, UpdatedAt);
    }

    private const string Select = "select id, name, enabled, trigger::text as trigger, delay, conditions::text as conditions, actions::text as actions, created_at, updated_at from automation_rules";

    public async Task<List<AutomationRuleDto>> ListAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<Row>(new CommandDefinition(Select + " order by id", cancellationToken: ct))).Select(r => r.ToDto()).ToList();
    }

    public async Task<CrmResult<AutomationRuleDto>> SaveAsync(long actorId, long? id, AutomationRuleInput body, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // One rule change at a time: the cycle check must see every other rule as it will be.
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtextextended('automation_rules', 0))", transaction: tx, cancellationToken: ct));
        var before = id is null ? null : (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            Select + " where id = @id for update", new { id }, tx, cancellationToken: ct)))?.ToDto();
        if (id is not null && before is null)
        {
            return CrmResult<AutomationRuleDto>.NotFound("There is no such rule.");
        }
        var refs = await RuleRefs.LoadAsync(connection, tx, ct);
        var parsed = RuleParser.Parse(body, refs);
        if (parsed.Error is { } error)
        {
            return CrmResult<AutomationRuleDto>.Invalid(error.Field, error.Detail);
        }
        var rule = parsed.Rule!;
        if (rule.Enabled)
        {
            var others = (await connection.QueryAsync<Row>(new CommandDefinition(Select + " where enabled and (@id::bigint is null or id <> @id)", new { id }, tx, cancellationToken: ct)))
                .Select(r => new RuleGraph.Node(r.Id, r.Name, JsonNode.Parse(r.Trigger)!.AsObject(), JsonNode.Parse(r.Actions)!.AsArray())).ToList();
            if (RuleGraph.FindCycle(new RuleGraph.Node(id ?? 0, rule.Name, rule.Trigger, rule.Actions), others, refs) is { } path)
            {
                return CrmResult<AutomationRuleDto>.Invalid("actions",
                    $"This rule would trigger itself in a loop: {string.Join(" -> ", path.Select(n => $"'{n}'"))}. Change a trigger or an action.");
            }
        }
        var args = new
        {
            id, name = rule.Name, enabled = rule.Enabled, triggerType = rule.Trigger["type"]!.GetValue<string>(), trigger = rule.Trigger.ToJsonString(),
            delay = rule.Delay, conditions = rule.Conditions.ToJsonString(), actions = rule.Actions.ToJsonString(),
        };
        var saved = await connection.QuerySingleAsync<Row>(new CommandDefinition(id is null
            ? """
              insert into automation_rules (name, enabled, trigger_type, trigger, delay, conditions, actions)
              values (@name, @enabled, @triggerType, @trigger::jsonb, @delay, @conditions::jsonb, @actions::jsonb)
              returning id, name, enabled, trigger::text as trigger, delay, conditions::text as conditions, actions::text as actions, created_at, updated_at
              """
            : """
              update automation_rules set name = @name, enabled = @enabled, trigger_type = @triggerType, trigger = @trigger::jsonb, delay = @delay,
                     conditions = @conditions::jsonb, actions = @actions::jsonb, updated_at = now()
              where id = @id
              returning id, name, enabled, trigger::text as trigger, delay, conditions::text as conditions, actions::text as actions, created_at, updated_at
              """, args, tx, cancellationToken: ct));
        await CrmAudit.WriteAsync(connection, tx, actorId, id is null ? "automation-rule.created" : "automation-rule.updated", "automation-rule", saved.Id,
            before, saved.ToDto(), ct);
        await tx.CommitAsync(ct);
        return CrmResult<AutomationRuleDto>.Ok(saved.ToDto());
    }

    public async Task<bool> DeleteAsync(long actorId, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var deleted = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "delete from automation_rules where id = @id returning id, name, enabled, trigger::text as trigger, delay, conditions::text as conditions, actions::text as actions, created_at, updated_at",
            new { id }, tx, cancellationToken: ct));
        if (deleted is null)
        {
            return false;
        }
        await CrmAudit.WriteAsync(connection, tx, actorId, "automation-rule.deleted", "automation-rule", id, deleted.ToDto(), null, ct);
        await tx.CommitAsync(ct);
        return true;
    }
}

/// <summary>The stages, pipelines and users a rule may name.</summary>
public sealed record RuleRefs(IReadOnlyDictionary<long, StageRow> Stages, IReadOnlySet<long> Pipelines, IReadOnlySet<long> Users)
{
    /// <summary>Label ids by lower-cased name (addLabel names a label by id or by name).</summary>
    public IReadOnlyDictionary<string, long> Labels { get; init; } = new Dictionary<string, long>();

    public static async Task<RuleRefs> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition("""
            select id, pipeline_id, name, semantic, sort from stages;
            select id from pipelines;
            select id from users where is_active;
            select lower(name), id from labels;
            """, transaction: tx, cancellationToken: ct));
        var stages = (await grid.ReadAsync<StageRow>()).ToDictionary(s => s.Id);
        var pipelines = (await grid.ReadAsync<long>()).ToHashSet();
        var users = (await grid.ReadAsync<long>()).ToHashSet();
        var labels = (await grid.ReadAsync<(string Name, long Id)>()).ToDictionary(l => l.Name, l => l.Id);
        return new RuleRefs(stages, pipelines, users) { Labels = labels };
    }
}
