using System.Text.Json;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm.Automation;

/// <summary>Something that may trigger automation rules. Depth and Chain say which rule runs caused it (empty for people and messages).</summary>
public sealed record CrmEvent(string Type, Subject Subject, DateTimeOffset At)
{
    public long? PipelineId { get; init; }
    public long? StageId { get; init; }
    public string? ChannelKind { get; init; }
    public long? ConversationId { get; init; }
    public string? Source { get; init; }
    public int Depth { get; init; }
    public long[] Chain { get; init; } = [];
}

/// <summary>
/// Turns an event into durable automation jobs (one per matching enabled rule, due after the rule's delay) inside
/// the caller's transaction, so a rolled-back change triggers nothing and a committed one is never lost.
/// Loop protection: a rule whose own run caused the event (it is in the chain) is not run again, and no chain
/// grows deeper than <see cref="MaxDepth"/>; either way the stop is written on the timeline.
/// </summary>
public static class CrmEvents
{
    public const int MaxDepth = 5;

    public static readonly string[] Triggers = ["leadCreated", "dealCreated", "stageEntered", "dealWon", "dealLost", "inboundMessage", "noReply"];

    private sealed record Match(long Id, string Name);

    public static async Task RaiseAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CrmEvent e, CancellationToken ct)
    {
        const string find = """
            select r.id, r.name from automation_rules r
            where r.enabled and r.trigger_type = @Type
              and (r.trigger ->> 'pipelineId' is null or (r.trigger ->> 'pipelineId')::bigint = @PipelineId)
              and (r.trigger ->> 'stageId' is null or (r.trigger ->> 'stageId')::bigint = @StageId)
              and (r.trigger ->> 'channelKind' is null or r.trigger ->> 'channelKind' = @ChannelKind)
            order by r.id
            """;
        var matches = (await connection.QueryAsync<Match>(new CommandDefinition(find,
            new { e.Type, e.PipelineId, e.StageId, e.ChannelKind }, tx, cancellationToken: ct))).ToList();
        if (matches.Count == 0)
        {
            return;
        }
        var blocked = matches.Where(m => e.Chain.Contains(m.Id) || e.Depth > MaxDepth).ToList();
        foreach (var rule in blocked)
        {
            var why = e.Chain.Contains(rule.Id)
                ? $"Rule '{rule.Name}' was not run: its own actions caused this {e.Type} (a loop)."
                : $"Rule '{rule.Name}' was not run: automation chains stop after {MaxDepth} steps.";
            await Timeline.AddAsync(connection, tx, e.Subject, "automation", Actor.Rule(rule.Id), e.At,
                new { ruleId = rule.Id, ruleName = rule.Name, trigger = e.Type, status = "loopStopped", detail = why }, ct);
        }
        var run = matches.Except(blocked).Select(m => m.Id).ToArray();
        if (run.Length == 0)
        {
            return;
        }
        const string insert = """
            insert into automation_jobs (rule_id, subject_type, subject_id, event, depth, chain, due_at, dedupe_key)
            select r.id, @subjectType, @subjectId, @event::jsonb, @depth, @chain,
                   ((@at at time zone 'UTC') + coalesce(r.delay, 'PT0S')::interval
                       + case when r.trigger_type = 'noReply' then make_interval(mins => (r.trigger ->> 'minutes')::int) else interval '0' end) at time zone 'UTC',
                   case when r.trigger_type = 'noReply' then 'noReply:' || r.id || ':' || @conversationId end
            from automation_rules r where r.id = any(@run)
            on conflict (dedupe_key) where dedupe_key is not null and state = 'pending' do nothing;
            select pg_notify('cc_automation', '');
            """;
        var data = JsonSerializer.Serialize(new
        {
            type = e.Type, at = e.At.UtcDateTime, pipelineId = e.PipelineId, stageId = e.StageId, channelKind = e.ChannelKind,
            conversationId = e.ConversationId, source = e.Source,
        }, JsonSerializerOptions.Web);
        await connection.ExecuteAsync(new CommandDefinition(insert, new
        {
            subjectType = e.Subject.Type, subjectId = e.Subject.Id, @event = data, depth = e.Depth, chain = e.Chain,
            at = e.At.UtcDateTime, conversationId = e.ConversationId, run,
        }, tx, cancellationToken: ct));
    }
}
