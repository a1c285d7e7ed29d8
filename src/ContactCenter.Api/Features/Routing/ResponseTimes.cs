using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Routing;

/// <summary>
/// Records response-time events when they happen, inside the transaction of the reply or resolve:
/// first response (first human reply minus the start of the conversation or of its reopen), reply
/// (human reply minus the customer's `waitingSince`), resolution. Each is kept wall-clock and within the
/// channel's business hours, with its target and whether it was met. Automated messages and notes never count.
/// </summary>
public sealed class ResponseTimes
{
    public sealed class State
    {
        public long Id { get; init; }
        public long ChannelId { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset? WaitingSince { get; init; }
        public DateTimeOffset? CycleStartedAt { get; init; }
        public bool AwaitingFirstResponse { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string Settings { get; init; } = "{}";

        /// <summary>Marked as an SLA breach before this reply (which ends it).</summary>
        public bool SlaBreached { get; init; }
    }

    /// <summary>Locks the conversation row for the rest of the transaction, so two replies measure one wait once.</summary>
    public async Task<State> LockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long conversationId, CancellationToken ct) =>
        await connection.QuerySingleAsync<State>(new CommandDefinition("""
            select c.id, c.channel_id, c.status, c.waiting_since, c.cycle_started_at, c.awaiting_first_response, c.created_at, ch.settings::text as settings,
                   c.sla_breached_at is not null as sla_breached
            from conversations c join channels ch on ch.id = c.channel_id where c.id = @conversationId
            for update of c
            """, new { conversationId }, tx, cancellationToken: ct));

    public async Task RecordReplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, State state, long userId, DateTimeOffset now, CancellationToken ct)
    {
        var rules = ChannelRules.From(JsonNode.Parse(state.Settings)!.AsObject());
        var events = new List<Measured>();
        if (state.AwaitingFirstResponse && (state.CycleStartedAt ?? state.WaitingSince) is { } start)
        {
            events.Add(Event(state, userId, "first_response", start, now, rules.FirstResponseSeconds, rules.Hours));
        }
        if (state.WaitingSince is { } waiting)
        {
            events.Add(Event(state, userId, "reply", waiting, now, rules.ReplySeconds, rules.Hours));
        }
        if (events.Count > 0)
        {
            await InsertAsync(connection, tx, events, ct);
        }
    }

    public async Task RecordResolutionAsync(NpgsqlConnection connection, NpgsqlTransaction tx, State state, long? userId, DateTimeOffset now, CancellationToken ct)
    {
        var rules = ChannelRules.From(JsonNode.Parse(state.Settings)!.AsObject());
        await InsertAsync(connection, tx, [Event(state, userId, "resolution", state.CycleStartedAt ?? state.CreatedAt, now, null, rules.Hours)], ct);
    }

    private sealed record Measured(long ConversationId, long ChannelId, long? UserId, string Kind, DateTime StartedAt, DateTime At,
        double Seconds, double BusinessSeconds, int? Target, bool? Within);

    private static Measured Event(State state, long? userId, string kind, DateTimeOffset start, DateTimeOffset end, int? target, BusinessHours? hours)
    {
        // Millisecond precision: PostgreSQL keeps microseconds, the clock ticks in 100 ns.
        var seconds = Math.Round(Math.Max(0, (end - start).TotalSeconds), 3);
        var business = Math.Round(hours?.SecondsWithin(start, end) ?? seconds, 3);
        return new Measured(state.Id, state.ChannelId, userId, kind, start.UtcDateTime, end.UtcDateTime, seconds, business, target,
            target is null ? null : business <= target);
    }

    // One statement for all the events of a reply: the rollup trigger (migration 1118) then runs once and locks its rows in one order.
    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<Measured> events, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into response_events (conversation_id, channel_id, user_id, kind, started_at, at, seconds, business_seconds, target_seconds, within_target)
            select * from unnest(@conversationIds, @channelIds, @userIds::bigint[], @kinds, @startedAts::timestamptz[], @ats::timestamptz[],
                                 @seconds, @business, @targets::int[], @within::boolean[])
            """, new
        {
            conversationIds = events.Select(e => e.ConversationId).ToArray(), channelIds = events.Select(e => e.ChannelId).ToArray(),
            userIds = events.Select(e => e.UserId).ToArray(), kinds = events.Select(e => e.Kind).ToArray(),
            startedAts = events.Select(e => e.StartedAt).ToArray(), ats = events.Select(e => e.At).ToArray(),
            seconds = events.Select(e => e.Seconds).ToArray(), business = events.Select(e => e.BusinessSeconds).ToArray(),
            targets = events.Select(e => e.Target).ToArray(), within = events.Select(e => e.Within).ToArray(),
        }, tx, cancellationToken: ct));
}
