using System.Text;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// Activities (calls, meetings, tasks, emails to do) on leads and deals. States are computed from the clock:
/// overdue (due before now), today (due later today, UTC), planned (not yet due), done. Every change pushes the
/// counters of the assignees it touches.
/// </summary>
public sealed class ActivityService(NpgsqlDataSource db, CrmWriter crm, TimeProvider clock)
{
    public sealed record SubjectInput(string? Type, long? Id);

    public sealed record CreateRequest(SubjectInput? Subject, string? Type, string? Title, DateTimeOffset? DueAt, long? AssigneeId, string? Description);

    public sealed record CompleteRequest(string? Result);

    public static readonly string[] Types = ["call", "meeting", "task", "email"];

    // Year 1 (overdue at once, forever) and 9999 came through as typed; a CRM's plans lie within these years.
    private const string DueRange = "dueAt must lie between the years 2000 and 2100.";

    private static bool DueInRange(DateTimeOffset due) => due.UtcDateTime.Year is >= 2000 and <= 2100;

    // The subject's title only for a caller who sees the subject (@me, @staff): an activity stays its assignee's after its
    // deal or lead went to a colleague, but the record's later name is not theirs to read (an outside check read it live).
    internal const string Select = $"""
        select a.id, a.subject_type, a.subject_id,
               case a.subject_type when 'deal' then (select d.title from deals d where d.id = a.subject_id and {CrmAccess.DealVisible})
                                   else (select l.title from leads l where l.id = a.subject_id and {CrmAccess.LeadVisible}) end as subject_title,
               a.type, a.title, a.description, a.due_at, a.assignee_id, u.name as assignee_name, a.completed_at, a.result, a.created_at,
               a.completed_by as completed_by_id
        from activities a left join users u on u.id = a.assignee_id
        """;

    private const string Visible = $"""
        (@staff or a.assignee_id = @me
            or (a.subject_type = 'deal' and exists (select 1 from deals d where d.id = a.subject_id and {CrmAccess.DealVisible}))
            or (a.subject_type = 'lead' and exists (select 1 from leads l where l.id = a.subject_id and {CrmAccess.LeadVisible})))
        """;

    internal sealed class Row
    {
        public long Id { get; init; }
        public string SubjectType { get; init; } = "";
        public long SubjectId { get; init; }
        public string? SubjectTitle { get; init; }
        public string Type { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Description { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public long? AssigneeId { get; init; }
        public string? AssigneeName { get; init; }
        public DateTimeOffset? CompletedAt { get; init; }
        public string? Result { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public long? CompletedById { get; init; }

        public ActivityDto ToDto(DateTimeOffset now) => new(Id, new SubjectDto(SubjectType, SubjectId, SubjectTitle), Type, Title, Description, DueAt,
            AssigneeId is null ? null : new UserRef(AssigneeId.Value, AssigneeName ?? ""), StateOf(DueAt, CompletedAt, now), CompletedAt, Result, CreatedAt, CompletedById);
    }

    public static string StateOf(DateTimeOffset dueAt, DateTimeOffset? completedAt, DateTimeOffset now) =>
        completedAt is not null ? "done" : dueAt < now ? "overdue" : dueAt < EndOfDay(now) ? "today" : "planned";

    public static DateTimeOffset EndOfDay(DateTimeOffset now) => new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    public async Task<CrmResult<ActivityDto>> CreateAsync(CurrentUser me, CreateRequest r, CancellationToken ct)
    {
        if (r.Subject?.Type is not ("lead" or "deal") || r.Subject.Id is null)
        {
            return CrmResult<ActivityDto>.Invalid("subject", "subject is {type: lead|deal, id}.");
        }
        if (r.Type is null || !Types.Contains(r.Type))
        {
            return CrmResult<ActivityDto>.Invalid("type", "type is call, meeting, task or email.");
        }
        if (string.IsNullOrWhiteSpace(r.Title) || r.Title.Length > 500)
        {
            return CrmResult<ActivityDto>.Invalid("title", "A title of at most 500 characters is required.");
        }
        if (r.DueAt is null)
        {
            return CrmResult<ActivityDto>.Invalid("dueAt", "dueAt (ISO-8601) is required.");
        }
        if (!DueInRange(r.DueAt.Value))
        {
            return CrmResult<ActivityDto>.Invalid("dueAt", DueRange);
        }
        var subject = new Subject(r.Subject.Type, r.Subject.Id.Value);
        return await ReadAsync(me, await crm.RunAsync(Actor.User(me), async w =>
        {
            if (!await TimelineService.CanSeeAsync(w.Connection, w.Tx, me, subject, ct))
            {
                return CrmResult<long>.NotFound($"There is no such {subject.Type}.");
            }
            if (await DealService.CheckPeopleAsync(w.Connection, w.Tx, me, null, r.AssigneeId, ct) is { } invalid)
            {
                return invalid.As<long>();
            }
            var owner = await OwnerAsync(w.Connection, w.Tx, subject, ct);
            return CrmResult<long>.Ok(await InsertAsync(w,
                new NewActivity(subject, r.Type, r.Title.Trim(), r.Description, r.DueAt.Value, r.AssigneeId ?? owner ?? me.Id, me.Id), ct));
        }, ct), ct);
    }

    /// <summary>The activity a change wrote, read back after its pushes.</summary>
    private async Task<CrmResult<ActivityDto>> ReadAsync(CurrentUser me, CrmResult<long> written, CancellationToken ct) =>
        written.Status == CrmStatus.Ok ? CrmResult<ActivityDto>.Ok((await ReadAsAsync(written.Value, me.Id, me.IsStaff, ct))!) : written.As<ActivityDto>();

    internal static Task<long?> OwnerAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Subject subject, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long?>(new CommandDefinition(subject.IsLead
            ? "select assignee_id from leads where id = @id" : "select assignee_id from deals where id = @id", new { id = subject.Id }, tx, cancellationToken: ct));

    /// <summary>Inserts an activity with its timeline entry (shared with the automation action createActivity).</summary>
    internal static async Task<long> InsertAsync(CrmWrite w, NewActivity a, CancellationToken ct)
    {
        var id = await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into activities (subject_type, subject_id, type, title, description, due_at, assignee_id, created_by, created_at)
            values (@subjectType, @subjectId, @type, @title, @description, @dueAt, @assigneeId, @createdBy, @now)
            returning id
            """, new
        {
            subjectType = a.Subject.Type, subjectId = a.Subject.Id, a.Type, a.Title, a.Description, dueAt = a.DueAt.UtcDateTime, a.AssigneeId, a.CreatedBy,
            now = w.Now.UtcDateTime,
        }, w.Tx, cancellationToken: ct));
        await Timeline.AddAsync(w, a.Subject, "activity",
            new { activityId = id, action = "created", type = a.Type, title = a.Title, dueAt = a.DueAt.UtcDateTime, assigneeId = a.AssigneeId }, ct);
        (a.Subject.IsLead ? w.Changes.Leads : w.Changes.Deals).Add(a.Subject.Id);
        w.Changes.Counters(a.AssigneeId);
        return id;
    }

    /// <summary>An activity as <paramref name="viewerId"/> (its assignee, for the reminder pushed to them) sees it.</summary>
    public async Task<ActivityDto?> GetForAsync(long id, long viewerId, CancellationToken ct)
    {
        // One statement: the viewer's role read in place of @staff.
        await using var connection = await db.OpenConnectionAsync(ct);
        var sql = Select.Replace("@staff", "coalesce((select vu.role in ('admin', 'supervisor') from users vu where vu.id = @me), false)", StringComparison.Ordinal);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(sql + " where a.id = @id", new { id, me = viewerId }, cancellationToken: ct));
        return row?.ToDto(clock.GetUtcNow());
    }

    /// <summary>An activity whatever its visibility, with its subject's title only when the viewer sees the subject.</summary>
    private async Task<ActivityDto?> ReadAsAsync(long id, long viewerId, bool staff, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Select + " where a.id = @id",
            new { id, me = viewerId, staff }, cancellationToken: ct));
        return row?.ToDto(clock.GetUtcNow());
    }

    public async Task<ActivityDto?> GetVisibleAsync(CurrentUser me, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} where a.id = @id and {Visible}", new { id, me = me.Id, staff = me.IsStaff }, cancellationToken: ct));
        return row?.ToDto(clock.GetUtcNow());
    }

    public sealed record ListQuery(string? Assignee, string? State, string? SubjectType, long? SubjectId, int Limit, string? Cursor);

    public async Task<CrmResult<Page<ActivityDto>>> ListAsync(CurrentUser me, ListQuery q, CancellationToken ct)
    {
        long? assigneeId = null;
        if (q.Assignee is "me")
        {
            assigneeId = me.Id;
        }
        else if (q.Assignee is not (null or "all"))
        {
            if (!long.TryParse(q.Assignee, out var parsed))
            {
                return CrmResult<Page<ActivityDto>>.Invalid("assignee", "assignee is me, all or a user id.");
            }
            assigneeId = parsed;
        }
        if (q.State is not (null or "overdue" or "today" or "planned" or "done"))
        {
            return CrmResult<Page<ActivityDto>>.Invalid("state", "state is overdue, today, planned or done.");
        }
        var (cursorAt, cursorId) = ConversationQueries.DecodeCursor(q.Cursor);
        var now = clock.GetUtcNow();
        var sql = new StringBuilder($"{Select} where {Visible}");
        if (assigneeId is not null)
        {
            sql.Append(" and a.assignee_id = @assigneeId");
        }
        if (q.SubjectType is not null && q.SubjectId is not null)
        {
            sql.Append(" and a.subject_type = @subjectType and a.subject_id = @subjectId");
        }
        sql.Append(q.State switch
        {
            "overdue" => " and a.completed_at is null and a.due_at < @now",
            "today" => " and a.completed_at is null and a.due_at >= @now and a.due_at < @endOfDay",
            "planned" => " and a.completed_at is null and a.due_at >= @now",
            "done" => " and a.completed_at is not null",
            _ => "",
        });
        if (cursorAt is not null)
        {
            sql.Append(" and (a.due_at, a.id) > (@cursorAt, @cursorId)");
        }
        sql.Append(" order by a.due_at, a.id limit @take");
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(sql.ToString(), new
        {
            me = me.Id, staff = me.IsStaff, assigneeId, subjectType = q.SubjectType, q.SubjectId, now = now.UtcDateTime, endOfDay = EndOfDay(now).UtcDateTime,
            cursorAt = cursorAt?.UtcDateTime, cursorId, take = q.Limit + 1,
        }, cancellationToken: ct))).ToList();
        string? next = null;
        if (rows.Count > q.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            next = ConversationQueries.EncodeCursor(rows[^1].DueAt, rows[^1].Id);
        }
        return CrmResult<Page<ActivityDto>>.Ok(new Page<ActivityDto>(rows.Select(r => r.ToDto(now)).ToList(), next));
    }

    /// <summary>PATCH {title?, description?, dueAt?, assigneeId?}: reschedule or hand over an open activity. A new due time is pushed again when it comes.</summary>
    public async Task<CrmResult<ActivityDto>> PatchAsync(CurrentUser me, long id, ActivityPatch patch, CancellationToken ct)
    {
        if (patch.Unknown?.Keys.FirstOrDefault() is { } unknown)
        {
            return CrmResult<ActivityDto>.Invalid(unknown, $"Unknown field {unknown}: it takes title, description, dueAt, assigneeId.");
        }
        if (patch.HasMalformedField)
        {
            return CrmResult<ActivityDto>.Invalid("body", "title and description are strings, dueAt an ISO-8601 time, assigneeId a number.");
        }
        var title = patch.Title.Value;
        var description = patch.Description.Value;
        var dueAt = patch.DueAt.Value;
        var assigneeId = patch.AssigneeId.Value;
        if (patch.Title.IsSet && (string.IsNullOrWhiteSpace(title) || title.Length > 500))
        {
            return CrmResult<ActivityDto>.Invalid("title", "A title of at most 500 characters is required.");
        }
        if (patch.DueAt.IsSet && dueAt is null)
        {
            return CrmResult<ActivityDto>.Invalid("dueAt", "dueAt cannot be removed.");
        }
        if (dueAt is { } due && !DueInRange(due))
        {
            return CrmResult<ActivityDto>.Invalid("dueAt", DueRange);
        }
        return await ReadAsync(me, await crm.RunAsync(Actor.User(me), async w =>
        {
            if (await LockVisibleAsync(w, me, id, ct) is not { } row)
            {
                return CrmResult<long>.NotFound("There is no such activity.");
            }
            if (row.CompletedAt is not null)
            {
                return CrmResult<long>.Conflict("The activity is done.");
            }
            if (await DealService.CheckPeopleAsync(w.Connection, w.Tx, me, null, assigneeId, ct) is { } invalid)
            {
                return invalid.As<long>();
            }
            var setAssignee = patch.AssigneeId.IsSet;
            if (!(patch.Title.IsSet || patch.Description.IsSet || patch.DueAt.IsSet || setAssignee))
            {
                return CrmResult<long>.Ok(id); // `{}`: nothing to change, so no "updated" entry on the timeline
            }
            await w.Connection.ExecuteAsync(new CommandDefinition("""
                update activities set title = coalesce(@title, title), description = case when @setDescription then @description else description end,
                       due_at = coalesce(@dueAt, due_at), due_pushed_at = case when @dueAt::timestamptz is null then due_pushed_at end,
                       assignee_id = case when @setAssignee then @assigneeId else assignee_id end
                where id = @id
                """, new
            {
                id, title = title?.Trim(), setDescription = patch.Description.IsSet, description, dueAt = dueAt?.UtcDateTime, setAssignee, assigneeId,
            }, w.Tx, cancellationToken: ct));
            var subject = new Subject(row.SubjectType, row.SubjectId);
            await Timeline.AddAsync(w, subject, "activity",
                new { activityId = id, action = "updated", title = title?.Trim() ?? row.Title, dueAt = (dueAt ?? row.DueAt).UtcDateTime, assigneeId = setAssignee ? assigneeId : row.AssigneeId }, ct);
            (subject.IsLead ? w.Changes.Leads : w.Changes.Deals).Add(subject.Id);
            w.Changes.Counters(row.AssigneeId, setAssignee ? assigneeId : null);
            return CrmResult<long>.Ok(id);
        }, ct), ct);
    }

    public async Task<CrmResult<ActivityDto>> CompleteAsync(CurrentUser me, long id, CompleteRequest? r, CancellationToken ct)
    {
        return await ReadAsync(me, await crm.RunAsync(Actor.User(me), async w =>
        {
            if (await LockVisibleAsync(w, me, id, ct) is not { } row)
            {
                return CrmResult<long>.NotFound("There is no such activity.");
            }
            if (row.CompletedAt is null)
            {
                await w.Connection.ExecuteAsync(new CommandDefinition(
                    "update activities set completed_at = @now, completed_by = @me, result = @result where id = @id",
                    new { id, now = w.Now.UtcDateTime, me = me.Id, result = r?.Result }, w.Tx, cancellationToken: ct));
                var subject = new Subject(row.SubjectType, row.SubjectId);
                await Timeline.AddAsync(w, subject, "activity",
                    new { activityId = id, action = "completed", type = row.Type, title = row.Title, result = r?.Result }, ct);
                (subject.IsLead ? w.Changes.Leads : w.Changes.Deals).Add(subject.Id);
                w.Changes.Counters(row.AssigneeId, me.Id);
            }
            return CrmResult<long>.Ok(id);
        }, ct), ct);
    }

    private static Task<Row?> LockVisibleAsync(CrmWrite w, CurrentUser me, long id, CancellationToken ct) =>
        w.Connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} where a.id = @id and {Visible} for no key update of a", new { id, me = me.Id, staff = me.IsStaff }, w.Tx, cancellationToken: ct));
}
