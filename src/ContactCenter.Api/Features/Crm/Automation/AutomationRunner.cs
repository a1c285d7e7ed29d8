using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Infrastructure.Telemetry;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Features.Crm.Automation;

/// <summary>
/// Runs due automation jobs on Hangfire (queued by the CRM clock, claimed by one worker, so nodes share them). A job
/// runs its rule's actions in order, each in its own transaction that also writes automation_action_runs and the timeline entry: a retry skips
/// what is done. An action that cannot apply (no conversation to write on, a closed deal...) is recorded as failed
/// with its reason and the next one runs; an unexpected error is recorded and the job retried with backoff, and
/// after the last attempt marked failed — never silently lost.
/// </summary>
public sealed class AutomationRunner(NpgsqlDataSource db, CrmNotifier notifier, IBackgroundJobClient jobs, TimeProvider clock, IOptions<CrmOptions> options,
    AppTelemetry telemetry, ILogger<AutomationRunner> logger)
{
    private sealed class Job
    {
        public long Id { get; init; }
        public long RuleId { get; init; }
        public string SubjectType { get; init; } = "";
        public long SubjectId { get; init; }
        public string Event { get; init; } = "{}";
        public int Depth { get; init; }
        public long[] Chain { get; init; } = [];
        public int Attempts { get; init; }
    }

    private sealed record Rule(long Id, string Name, bool Enabled, string TriggerType, string Conditions, string Actions);

    /// <summary>An action that cannot apply to this subject: recorded, not retried.</summary>
    public sealed class ActionRefused(string reason) : Exception(reason);

    /// <summary>
    /// The CRM clock's part: jobs due by <paramref name="now"/> (the app's TimeProvider, so tests move it), and jobs
    /// whose lease passed (their Hangfire job never ran, or their node died mid-run), are marked queued and handed to
    /// Hangfire. Enqueuing the same job twice is harmless: only one run claims it.
    /// </summary>
    public async Task<int> QueueDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        const string queue = """
            update automation_jobs set state = 'queued', locked_until = clock_timestamp() + @lease, updated_at = now()
            where id in (
                select id from automation_jobs
                where (state = 'pending' and due_at <= @now) or (state in ('queued', 'running') and locked_until < clock_timestamp())
                order by due_at, id limit @batch
                for update skip locked)
            returning id
            """;
        List<long> ids;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            ids = (await connection.QueryAsync<long>(new CommandDefinition(queue, new
            {
                now = now.UtcDateTime, lease = options.Value.QueueLease, batch = options.Value.BatchSize,
            }, cancellationToken: ct))).Order().ToList();
        }
        foreach (var id in ids)
        {
            jobs.Enqueue<AutomationRunner>(runner => runner.RunAsync(id, CancellationToken.None));
        }
        return ids.Count;
    }

    /// <summary>
    /// One automation job, run by a Hangfire worker on any node. Retries are this table's (backoff, attempts, the
    /// failure on the timeline), not Hangfire's: a Hangfire failure leaves the job leased, and it is queued again.
    /// </summary>
    [Queue("automation")]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long jobId, CancellationToken ct)
    {
        const string claim = """
            update automation_jobs set state = 'running', attempts = attempts + 1, locked_until = clock_timestamp() + @lease, updated_at = now()
            where id = @jobId and state = 'queued'
            returning id, rule_id, subject_type, subject_id, event::text as event, depth, chain, attempts
            """;
        Job? job;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            job = await connection.QuerySingleOrDefaultAsync<Job>(new CommandDefinition(claim, new { jobId, lease = options.Value.Lease }, cancellationToken: ct));
        }
        if (job is not null)
        {
            using var span = AppTelemetry.Source.StartActivity("automation.job");
            span?.SetTag("automation.job_id", job.Id);
            span?.SetTag("automation.rule_id", job.RuleId);
            span?.SetTag("automation.subject", $"{job.SubjectType}:{job.SubjectId}");
            await RunJobAsync(job, clock.GetUtcNow(), ct);
        }
    }

    private async Task RunJobAsync(Job job, DateTimeOffset now, CancellationToken ct)
    {
        var subject = new Subject(job.SubjectType, job.SubjectId);
        Rule? rule;
        SubjectContext? context;
        Dictionary<int, string> done;
        bool replied = false;
        var ev = JsonNode.Parse(job.Event)!.AsObject();
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            rule = await connection.QuerySingleOrDefaultAsync<Rule>(new CommandDefinition(
                "select id, name, enabled, trigger_type, conditions::text as conditions, actions::text as actions from automation_rules where id = @id",
                new { id = job.RuleId }, cancellationToken: ct));
            context = await SubjectContext.LoadAsync(connection, null, subject, ct);
            done = (await connection.QueryAsync<(int Index, string Result)>(new CommandDefinition(
                "select action_index, result::text from automation_action_runs where job_id = @id", new { id = job.Id }, cancellationToken: ct)))
                .ToDictionary(r => r.Index, r => r.Result);
            if (rule?.TriggerType == "noReply" && ev["conversationId"] is { } conversation)
            {
                // Answered by a person since the customer wrote: nothing to do.
                replied = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
                    select exists(select 1 from messages m where m.conversation_id = @conversationId and m.direction = 'outbound'
                                  and m.sender_type = 'user' and m.created_at >= @at)
                    """, new { conversationId = conversation.GetValue<long>(), at = ev["at"]!.GetValue<DateTime>() }, cancellationToken: ct));
            }
        }
        if (rule is null || !rule.Enabled || context is null)
        {
            await FinishAsync(job.Id, "skipped", rule is null || !rule.Enabled ? "The rule was removed or disabled." : $"The {subject.Type} no longer exists.", ct);
            return;
        }
        if (replied || !context.Matches(JsonNode.Parse(rule.Conditions)!.AsArray(), ev))
        {
            await FinishAsync(job.Id, "skipped", replied ? "Answered in time." : "Conditions not met.", ct);
            return;
        }
        var actions = JsonNode.Parse(rule.Actions)!.AsArray();
        // After a createDeal, the rule's next actions act on the deal it made (a repeat sale's call belongs to the new deal).
        var target = subject;
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i]!.AsObject();
            var type = action["type"]!.GetValue<string>();
            if (done.TryGetValue(i, out var previous))
            {
                if (type == "createDeal" && JsonNode.Parse(previous)?["result"]?["dealId"] is { } madeDeal)
                {
                    target = Subject.Deal(madeDeal.GetValue<long>());
                }
                continue;
            }
            var changes = new CrmChanges();
            try
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(ct);
                string status;
                object result;
                var savepointTaken = false;
                try
                {
                    await tx.SaveAsync("action", ct);
                    savepointTaken = true;
                    var ctx = await SubjectContext.LoadAsync(connection, tx, target, ct) ?? throw new ActionRefused($"The {target.Type} no longer exists.");
                    var actions2 = new AutomationActions(new CrmWrite(connection, tx, Actor.Rule(rule.Id), now, changes), rule.Id, job.Id, i, job.Depth + 1,
                        [.. job.Chain, rule.Id]);
                    result = await actions2.RunAsync(action, ctx, ct);
                    status = "done";
                }
                catch (ActionRefused refused) when (savepointTaken)
                {
                    await tx.RollbackAsync("action", ct);
                    changes = new CrmChanges();
                    result = new { reason = refused.Message };
                    status = "failed";
                }
                await connection.ExecuteAsync(new CommandDefinition(
                    "insert into automation_action_runs (job_id, action_index, at, result) values (@jobId, @i, @now, @result::jsonb)",
                    new { jobId = job.Id, i, now = now.UtcDateTime, result = JsonSerializer.Serialize(new { status, result }, JsonSerializerOptions.Web) }, tx, cancellationToken: ct));
                await Timeline.AddAsync(connection, tx, subject, "automation", Actor.Rule(rule.Id), now, new
                {
                    ruleId = rule.Id, ruleName = rule.Name, trigger = rule.TriggerType, action = type, status, result, attempt = job.Attempts,
                    on = target == subject ? null : new { type = target.Type, id = target.Id },
                }, ct);
                await tx.CommitAsync(ct);
                if (result is AutomationActions.CreatedDeal made)
                {
                    target = Subject.Deal(made.DealId);
                }
                (subject.IsLead ? changes.Leads : changes.Deals).Add(subject.Id);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Automation job {JobId} (rule {RuleId}) action {Index} {Type} failed", job.Id, rule.Id, i, type);
                await FailAsync(job, rule, subject, type, ex.Message, now, ct);
                return;
            }
            await notifier.FlushAsync(changes, ct);
        }
        await FinishAsync(job.Id, "done", null, ct);
    }

    /// <summary>Records the failure on the timeline and schedules a retry, or gives up after the last attempt.</summary>
    private async Task FailAsync(Job job, Rule rule, Subject subject, string action, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var o = options.Value;
        var giveUp = job.Attempts >= o.MaxAttempts;
        var next = now + Backoff(job.Attempts);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Timeline.AddAsync(connection, tx, subject, "automation", Actor.Rule(rule.Id), now, new
        {
            ruleId = rule.Id, ruleName = rule.Name, trigger = rule.TriggerType, action, status = "error", detail = reason, attempt = job.Attempts,
            willRetry = !giveUp, nextAttemptAt = giveUp ? (DateTime?)null : next.UtcDateTime,
        }, ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            update automation_jobs set state = @state, due_at = case when @giveUp then due_at else @next end, last_error = @reason,
                   locked_until = null, updated_at = now()
            where id = @id
            """, new { id = job.Id, state = giveUp ? "failed" : "pending", giveUp, next = next.UtcDateTime, reason }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        if (giveUp)
        {
            telemetry.AutomationJobs.Add(1, new KeyValuePair<string, object?>("result", "failed")); // a retry is not a result yet
        }
    }

    private async Task FinishAsync(long jobId, string state, string? note, CancellationToken ct)
    {
        telemetry.AutomationJobs.Add(1, new KeyValuePair<string, object?>("result", state));
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "update automation_jobs set state = @state, last_error = @note, locked_until = null, updated_at = now() where id = @jobId",
            new { jobId, state, note }, cancellationToken: ct));
    }

    private TimeSpan Backoff(int attempts)
    {
        var o = options.Value;
        var ms = Math.Min(o.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1)), o.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms);
    }
}
