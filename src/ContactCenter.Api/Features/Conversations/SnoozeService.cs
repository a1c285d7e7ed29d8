using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Routing;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;
using static ContactCenter.Api.Features.Conversations.ConversationActions;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// Snooze: a conversation put aside (`snoozed`, out of the Open list) until a time. It opens again at that time — a
/// Hangfire delayed job per snooze, plus a minute sweep so a lost job cannot strand it — or when the customer writes
/// (the inbound statement itself, InboundStore). Both wake paths are conditional updates, so a re-snooze or a manual
/// reopen makes an older job a no-op. Every change is a system note in the thread and is pushed after commit: an English
/// sentence in UTC plus its facts in the metadata (`until`, `byName`...), from which the web app words it in its user's
/// language and time zone.
/// </summary>
public sealed class SnoozeService(
    NpgsqlDataSource db, ConversationQueries queries, IConversationPushes notifier, IBackgroundJobClient jobs, TimeProvider clock,
    IOptions<SnoozeOptions> options, ILogger<SnoozeService> logger, Routing.QueueFeed queue)
{
    public const string SweepJob = "wake-snoozed-conversations";

    public sealed record SnoozeResult(ChangeError Error, string? Detail = null, string Field = "until", DateTimeOffset? Until = null);

    public async Task<SnoozeResult> SnoozeAsync(CurrentUser me, long conversationId, DateTimeOffset? until, string? preset, CancellationToken ct)
    {
        if ((until is null) == (preset is null))
        {
            return new SnoozeResult(ChangeError.Invalid, "Give either `until` (a date-time) or `preset` (nextMorning).");
        }
        if (preset is not (null or "nextMorning"))
        {
            return new SnoozeResult(ChangeError.Invalid, "preset must be nextMorning.", "preset");
        }
        switch (await queries.AccessAsync(me, conversationId, ct))
        {
            case ConversationQueries.Access.None:
                return new SnoozeResult(ChangeError.NotFound, "There is no such conversation.");
            case ConversationQueries.Access.Participant:
                return new SnoozeResult(ChangeError.Forbidden, ConversationQueries.ParticipantOnly);
        }
        var now = clock.GetUtcNow();
        var at = until ?? await NextMorningAsync(conversationId, now, ct);
        if (ConversationLifecycle.CheckSnoozeUntil(at, now) is { } badTime)
        {
            return new SnoozeResult(ChangeError.Invalid, badTime);
        }
        // Stored to the microsecond (PostgreSQL's precision), so the job's `snoozed_until <= now` meets the same value.
        at = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
        long noteId;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            // Asked again under the row's lock (AccessOf takes it for share): a colleague who took the conversation after the
            // check above ends this user's right to snooze it, as for a status change.
            switch ((ConversationQueries.Access)await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                ConversationQueries.AccessOf, new { conversationId, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct)))
            {
                case ConversationQueries.Access.None:
                    return new SnoozeResult(ChangeError.NotFound, "There is no such conversation.");
                case ConversationQueries.Access.Participant:
                    return new SnoozeResult(ChangeError.Forbidden, ConversationQueries.ParticipantOnly);
            }
            var changed = await connection.ExecuteAsync(new CommandDefinition("""
                update conversations set status = 'snoozed', snoozed_until = @at, updated_at = @now
                where id = @conversationId and status <> 'resolved'
                """, new { conversationId, at = at.UtcDateTime, now = now.UtcDateTime }, tx, cancellationToken: ct));
            if (changed == 0)
            {
                return new SnoozeResult(ChangeError.Conflict, "A resolved conversation cannot be snoozed: reopen it first.");
            }
            var when = at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            noteId = await SystemNotes.AddInTransactionAsync(connection, tx, conversationId, "snoozed", $"Snoozed until {when} UTC by {me.Name}.",
                new Dictionary<string, string>
                {
                    ["until"] = at.ToString("O", CultureInfo.InvariantCulture), ["by"] = me.Id.ToString(CultureInfo.InvariantCulture), ["byName"] = me.Name,
                },
                now, ct);
            await tx.CommitAsync(ct);
        }
        try
        {
            jobs.Schedule<SnoozeService>(s => s.WakeAsync(conversationId, CancellationToken.None), at);
        }
        catch (Exception ex)
        {
            // The snooze is stored; the minute sweep wakes it without this job.
            logger.LogWarning(ex, "Could not schedule the wake-up of conversation {ConversationId}", conversationId);
        }
        await notifier.MessageCreatedAsync(noteId, ct); // the note, the summary (now snoozed) and counters, to everyone who sees it
        await queue.PushAsync(ct); // a snoozed conversation leaves the supervisors' queue until it wakes
        return new SnoozeResult(ChangeError.None, Until: at);
    }

    /// <summary>The delayed job of one snooze: wakes it only if it is still snoozed and due (a re-snooze moved it; a reopen ended it).</summary>
    public Task<int> WakeAsync(long conversationId, CancellationToken ct) => WakeDueAsync(conversationId, ct);

    /// <summary>The minute sweep: every snoozed conversation that is due, whatever happened to its job.</summary>
    public Task<int> SweepAsync(CancellationToken ct) => WakeDueAsync(null, ct);

    private async Task<int> WakeDueAsync(long? conversationId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        const string wake = """
            update conversations c set status = 'open', snoozed_until = null, updated_at = @now
            where c.id in (select d.id from conversations d
                           where d.status = 'snoozed' and d.snoozed_until <= @now and (@conversationId::bigint is null or d.id = @conversationId)
                           order by d.snoozed_until limit 500 for update skip locked)
            returning c.id
            """;
        var notes = new List<long>();
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var woken = (await connection.QueryAsync<long>(new CommandDefinition(wake, new { conversationId, now = now.UtcDateTime }, tx, cancellationToken: ct))).ToList();
            foreach (var id in woken)
            {
                notes.Add(await SystemNotes.AddInTransactionAsync(connection, tx, id, "unsnoozed", "Snooze ended: the time came.",
                    new Dictionary<string, string> { ["reason"] = "time" }, now, ct));
            }
            await tx.CommitAsync(ct);
        }
        foreach (var note in notes)
        {
            await notifier.MessageCreatedAsync(note, ct);
        }
        if (notes.Count > 0)
        {
            await queue.PushAsync(ct); // woken: back in the queue
        }
        return notes.Count;
    }

    /// <summary>
    /// The next opening of the channel's business hours after now; without business hours, 09:00 tomorrow in the
    /// instance's time zone (Snooze:TimeZone).
    /// </summary>
    private async Task<DateTimeOffset> NextMorningAsync(long conversationId, DateTimeOffset now, CancellationToken ct)
    {
        string settings;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            settings = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "select ch.settings::text from conversations c join channels ch on ch.id = c.channel_id where c.id = @conversationId",
                new { conversationId }, cancellationToken: ct)) ?? "{}";
        }
        BusinessHours? hours = null;
        try
        {
            hours = ChannelRules.From(JsonNode.Parse(settings) as JsonObject ?? []).Hours;
        }
        catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Unreadable business hours of the channel of conversation {ConversationId}", conversationId);
        }
        return hours?.NextOpening(now) ?? NineTomorrow(now, Zone());
    }

    private TimeZoneInfo Zone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    internal static DateTimeOffset NineTomorrow(DateTimeOffset now, TimeZoneInfo zone)
    {
        var tomorrow = TimeZoneInfo.ConvertTime(now, zone).Date.AddDays(1).AddHours(9);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(tomorrow, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
    }
}
