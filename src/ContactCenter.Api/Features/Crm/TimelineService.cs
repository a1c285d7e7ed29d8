using System.Text.Json;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>The feed of a lead or a deal, newest first (keyset on id), and comments on it.</summary>
public sealed class TimelineService(NpgsqlDataSource db, CrmWriter crm)
{
    public const int MaxCommentLength = 10_000;

    internal sealed class Row
    {
        public long Id { get; init; }
        public string Type { get; init; } = "";
        public DateTimeOffset At { get; init; }
        public string ActorType { get; init; } = "";
        public long? ActorId { get; init; }
        public string? ActorName { get; init; }
        public string Data { get; init; } = "{}";

        public TimelineEntryDto ToDto()
        {
            using var doc = JsonDocument.Parse(Data);
            return new TimelineEntryDto(Id, Type, At, new ActorDto(ActorType, ActorId, ActorName), doc.RootElement.Clone());
        }
    }

    internal const string Select = $"""
        select t.id, t.type, t.at, t.actor_type, t.actor_id,
               case t.actor_type when 'user' then (select u.name from users u where u.id = t.actor_id)
                                 when 'contact' then (select coalesce(c.name, c.email, c.phone, 'Contact ' || c.id) from contacts c where c.id = t.actor_id)
                                 when 'automation' then (select r.name from automation_rules r where r.id = t.actor_id)
                                 else 'System' end as actor_name,
               -- An entry about a conversation the caller does not see (a lead's "created" from it, an "updated" when it was
               -- assigned) keeps what it says but not which conversation or channel: the lead's source hides them too.
               case when @staff or t.data ->> 'conversationId' is null or exists (
                         select 1 from conversations vc where vc.id = (t.data ->> 'conversationId')::bigint and {CrmAccess.ConversationSeen})
                    then t.data else t.data - 'conversationId' - 'channelId' end::text as data
        from timeline_entries t
        """;

    /// <summary>Null when the user may not see the subject.</summary>
    public async Task<Page<TimelineEntryDto>?> ListAsync(CurrentUser me, Subject subject, int limit, string? cursor, CancellationToken ct)
    {
        var before = DealQueries.ParseCursor(cursor);
        await using var connection = await db.OpenConnectionAsync(ct);
        // The check and the entries in one snapshot: a subject taken out of sight after the check showed what came after.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        if (!await CanSeeAsync(connection, tx, me, subject, ct))
        {
            return null;
        }
        var column = subject.IsLead ? "lead_id" : "deal_id";
        // Message entries follow the conversation rule (CrmAccess.TimelineEntryVisible); the rest go with the subject.
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} where t.{column} = @id and {CrmAccess.TimelineEntryVisible} and (@before::bigint is null or t.id < @before) order by t.id desc limit @take",
            new { id = subject.Id, before, take = limit + 1, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct))).ToList();
        return DealQueries.ToPage(rows, limit, r => r.ToDto(), r => r.Id);
    }

    public async Task<CrmResult<TimelineEntryDto>> CommentAsync(CurrentUser me, Subject subject, string? text, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxCommentLength)
        {
            return CrmResult<TimelineEntryDto>.Invalid("text", $"The comment must be between 1 and {MaxCommentLength} characters.");
        }
        var comment = text.Trim();
        var written = await crm.RunAsync(Actor.User(me), async w =>
        {
            if (!await CanSeeAsync(w.Connection, w.Tx, me, subject, ct))
            {
                return CrmResult<long>.NotFound($"There is no such {subject.Type}.");
            }
            var id = await Timeline.AddAsync(w, subject, "comment", new { text = comment }, ct);
            (subject.IsLead ? w.Changes.Leads : w.Changes.Deals).Add(subject.Id);
            return CrmResult<long>.Ok(id);
        }, ct);
        if (written.Status != CrmStatus.Ok)
        {
            return written.As<TimelineEntryDto>();
        }
        await using var read = await db.OpenConnectionAsync(ct);
        var row = await read.QuerySingleAsync<Row>(new CommandDefinition($"{Select} where t.id = @id", new { id = written.Value, me = me.Id, staff = me.IsStaff }, cancellationToken: ct));
        return CrmResult<TimelineEntryDto>.Ok(row.ToDto());
    }

    internal static Task<bool> CanSeeAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CurrentUser me, Subject subject, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(subject.IsLead
            ? $"select exists(select 1 from leads l where l.id = @id and {CrmAccess.LeadVisible})"
            : $"select exists(select 1 from deals d where d.id = @id and {CrmAccess.DealVisible})",
            new { id = subject.Id, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
}
