using System.Collections.Concurrent;
using Npgsql;

namespace ContactCenter.Api.Features.Stats;

/// <summary>
/// Response-time figures for a period from the rollups (migration 1118): whole months from the month rows, the remaining
/// whole UTC days from the day rows, the partial days at the edges from the raw events (covering index on `at`). Counts,
/// averages and within-target shares are exact; percentiles come from the merged log histograms (within
/// <see cref="LogHistogram.RelativeError"/>), or are exact when the whole period was read from raw events.
/// Distinct conversations are exact: conversation starts per day for the whole days, plus the edge conversations that had
/// no event in those days.
/// The rows of past days and months (before today and this month, UTC) are kept per node, merged, and read again only
/// when their count or revision sum changed; today's and this month's rows, and the edges, are read on every call.
/// </summary>
public sealed class ResponseTimesQuery(NpgsqlDataSource db, TimeProvider clock)
{
    public static readonly string[] Kinds = ["first_response", "reply", "resolution"];

    // The rollups as key ranges (the days before the months, the months, the days after them), so each is an index range
    // (the OR of the series filter and the periods read every row of the channel key: 26,000 rows for 1,100 in the
    // benchmark); the histograms in PostgreSQL's binary array form (array_send), read by LogHistogram.AddArraySend:
    // Npgsql's array reader, an async state machine per element, was a quarter of the request's CPU for 275,000 elements
    // a year. A conversation-starts row comes in the same shape with a null kind and its count in `n`.
    private const string RollupColumns = "channel_key, user_key, kind, n, seconds_sum, business_sum, within_n, target_n, array_send(hist), array_send(business_hist)";

    /// <summary>The three ranges of part <paramref name="p"/> ("s" settled, "v" volatile) as one filter on `r`.</summary>
    private static string Ranges(string p) =>
        $"((r.grain = 'd' and r.period >= @{p}D1From and r.period < @{p}D1To) or (r.grain = 'm' and r.period >= @{p}MFrom and r.period < @{p}MTo)"
        + $" or (r.grain = 'd' and r.period >= @{p}D2From and r.period < @{p}D2To))";

    /// <summary>The rows of the series asked for (a channel's, or everything's and each channel's total) in <paramref name="range"/>.</summary>
    private static string Rollups(string columns, string range) => $"""
        select {columns} from response_rollups r where r.channel_key = @channel and {range}
        union all
        select {columns} from response_rollups r where @channel = 0 and r.user_key = 0 and r.channel_key <> 0 and {range}
        """;

    /// <summary>Per series, the conversations active on a day of part <paramref name="p"/> and on no earlier day of the period.</summary>
    private static string Starts(string p) => $"""
        select channel_key, user_key, null::text, sum(conversations)::bigint, null::numeric, null::numeric, null::bigint, null::bigint, null::bytea, null::bytea
        from response_conversation_starts
        where (channel_key = @channel or (@channel = 0 and user_key = 0)) and day >= @{p}StartsFrom and day < @{p}StartsTo and prev_day < @daysFrom
        group by channel_key, user_key
        """;

    // The settled rows' count and the sum of their revisions (migration 1137) first, in the same statement (one snapshot) as
    // the rows, which come only when they differ from what the cached part was read at: then one row with nulls.
    // The sum, not the highest: revisions are drawn when a row is written, not when its transaction commits, so a change
    // committed after a later-drawn one would leave the highest as it was; a row's new revision is drawn under its lock,
    // after its old one, so every committed change raises the sum (found by a review of session 23's change). The
    // conversation starts of a settled day D change only with an event in [daysFrom, D], which changes a settled rollup
    // row of that day (its day row, or its month's row when that month is settled: see Part.Split).
    private static readonly string Sql = $"""
        with fp as (select count(*) as c, coalesce(sum(k.rev), 0)::bigint as m from ({Rollups("r.rev", Ranges("s"))}) k)
        select fp.c, fp.m, x.* from fp left join lateral (
            -- offset 0 keeps the subquery whole, so the comparison gates it (a one-time filter) instead of filtering its rows.
            select * from ({Rollups(RollupColumns, Ranges("s"))} union all {Starts("s")}) y
            where not (fp.c = @cachedCount and fp.m = @cachedRevision) offset 0
        ) x on true;

        {Rollups(RollupColumns, Ranges("v"))}
        union all
        {Starts("v")};

        select conversation_id, channel_id, coalesce(user_id, -1), kind, seconds, business_seconds, within_target
        from response_events
        where ((at >= @raw1From and at < @raw1To) or (at >= @raw2From and at < @raw2To)) and (@channel = 0 or channel_id = @channel);

        with e as (
            select distinct conversation_id, channel_id, coalesce(user_id, -1) as user_id from response_events
            where ((at >= @raw1From and at < @raw1To) or (at >= @raw2From and at < @raw2To)) and (@channel = 0 or channel_id = @channel)
        ), w as (
            -- The edge conversations' events in the whole days, one index range per conversation.
            select r.conversation_id, r.channel_id, coalesce(r.user_id, -1) as user_id
            from (select distinct conversation_id from e) c join response_events r on r.conversation_id = c.conversation_id
            where r.at >= @raw1To and r.at < @raw2From
        ), g as (
            select @channel as channel_key, 0::bigint as user_key, conversation_id from e
            union select @channel, user_id, conversation_id from e
            union select channel_id, 0, conversation_id from e where @channel = 0
        )
        select channel_key, user_key, count(*)
        from g
        where not exists (select 1 from w where w.conversation_id = g.conversation_id and (g.channel_key = 0 or w.channel_id = g.channel_key)
                          and (g.user_key = 0 or w.user_id = g.user_key))
        group by channel_key, user_key;
        """;

    /// <summary>
    /// A period's whole days up to today, split like the plan: [D1From, D1To) day rows, [MFrom, MTo) month rows,
    /// [D2From, D2To) day rows, and the conversation starts of [StartsFrom, StartsTo).
    /// </summary>
    private readonly record struct Part(DateOnly D1From, DateOnly D1To, DateOnly MFrom, DateOnly MTo, DateOnly D2From, DateOnly D2To,
        DateOnly StartsFrom, DateOnly StartsTo)
    {
        /// <summary>The rows before <paramref name="today"/> (settled) and the rest (volatile): a month row is settled once its month is over.</summary>
        public static (Part Settled, Part Volatile) Split(PeriodPlan plan, DateOnly today)
        {
            var month = new DateOnly(today.Year, today.Month, 1);
            static (DateOnly, DateOnly, DateOnly) At(DateOnly from, DateOnly to, DateOnly boundary)
            {
                var cut = boundary < from ? from : boundary > to ? to : boundary;
                return (from, cut, to);
            }
            var (d1, d1Cut, d1To) = At(plan.DaysFrom, plan.MonthsFrom, today);
            var (m, mCut, mTo) = At(plan.MonthsFrom, plan.MonthsTo, month);
            var (d2, d2Cut, d2To) = At(plan.MonthsTo, plan.DaysTo, today);
            // The starts of a day are settled only when a settled rollup row covers that day: this month's days before
            // today are in this month's row, which is not settled while it is a whole month of the period (a session 24
            // review: a late event on one of them changed the cached starts and no settled row).
            var (s, sCut, sTo) = At(plan.DaysFrom, plan.DaysTo, plan.MonthsFrom <= month && month < plan.MonthsTo ? month : today);
            return (new Part(d1, d1Cut, m, mCut, d2, d2Cut, s, sCut), new Part(d1Cut, d1To, mCut, mTo, d2Cut, d2To, sCut, sTo));
        }

        public bool IsEmpty => D1From == D1To && MFrom == MTo && D2From == D2To && StartsFrom == StartsTo;

        public void AddTo(NpgsqlCommand command, string p)
        {
            foreach (var (name, value) in new[] { ("D1From", D1From), ("D1To", D1To), ("MFrom", MFrom), ("MTo", MTo), ("D2From", D2From),
                ("D2To", D2To), ("StartsFrom", StartsFrom), ("StartsTo", StartsTo) })
            {
                command.Parameters.Add(new NpgsqlParameter<DateOnly>(p + name, value));
            }
        }
    }

    /// <summary>
    /// The settled part of a period, merged per series, as read at a count and revision sum of its rows: a year's past
    /// rows are almost all of its rows and histograms, and they change only when events of past days are deleted or changed
    /// (or a response is dated back). Read-only once stored; a few periods are kept (the reports ask for a handful): an
    /// entry holds two 8 KB histograms per series and kind, about 2.5 MB for 50 managers, so at most 16 of them.
    /// </summary>
    private sealed record SettledPart(long Count, long Revision, IReadOnlyDictionary<(long, long), ResponseAccumulator> Series);

    private const int MaxCachedPeriods = 16;

    private readonly ConcurrentDictionary<(long Filter, Part Settled), SettledPart> settledParts = new();

    /// <summary>
    /// Adds a rollup row (its columns from <paramref name="at"/> on: channel, user, kind, sums, histograms) to its series;
    /// a conversation-starts row (no kind) adds its count to the series' conversations.
    /// </summary>
    private static void AddRollupRow(NpgsqlDataReader reader, int at, Func<long, long, ResponseAccumulator> series)
    {
        var accumulator = series(reader.GetInt64(at), reader.GetInt64(at + 1));
        if (reader.IsDBNull(at + 2))
        {
            accumulator.Conversations += reader.GetInt64(at + 3);
            return;
        }
        var figure = accumulator.Kind(reader.GetString(at + 2));
        figure.FromRollup = true;
        figure.N += reader.GetInt64(at + 3);
        figure.SecondsSum += reader.GetDecimal(at + 4);
        figure.BusinessSum += reader.GetDecimal(at + 5);
        figure.Within += reader.GetInt64(at + 6);
        figure.Targeted += reader.GetInt64(at + 7);
        if (!reader.IsDBNull(at + 8))
        {
            figure.Seconds.AddArraySend(reader.GetFieldValue<byte[]>(at + 8));
        }
        if (!reader.IsDBNull(at + 9))
        {
            figure.Business.AddArraySend(reader.GetFieldValue<byte[]>(at + 9));
        }
    }

    /// <summary>Figures per series: key (0, 0) or (channel, 0) is everything (of a channel), (channelFilter, user) one user.</summary>
    public sealed record Result(IReadOnlyDictionary<(long Channel, long User), ResponseStats> Series);

    public async Task<Result> ReadAsync(DateTimeOffset from, DateTimeOffset to, long? channelId, CancellationToken ct)
    {
        var plan = PeriodPlan.Of(from.UtcDateTime, to.UtcDateTime);
        var (settled, volatileRows) = Part.Split(plan, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var filter = channelId ?? 0;
        var series = new Dictionary<(long, long), ResponseAccumulator>();
        ResponseAccumulator Get(long channel, long user) => series.TryGetValue((channel, user), out var a) ? a : series[(channel, user)] = new ResponseAccumulator();

        await using var connection = await db.OpenConnectionAsync(ct);
        // One snapshot for the four statements (each took its own under READ COMMITTED: an event moved between a past day
        // and today during the read could be counted twice or not at all; a session 24 review). BEGIN goes out with the
        // command; the commit is the one extra round trip.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("channel", filter));
        command.Parameters.Add(new NpgsqlParameter<DateOnly>("daysFrom", plan.DaysFrom));
        command.Parameters.Add(new NpgsqlParameter<DateOnly>("daysTo", plan.DaysTo));
        settled.AddTo(command, "s");
        volatileRows.AddTo(command, "v");
        command.Parameters.Add(new NpgsqlParameter<DateTime>("raw1From", plan.Raw1From));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("raw1To", plan.Raw1To));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("raw2From", plan.Raw2From));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("raw2To", plan.Raw2To));
        var key = (filter, settled);
        var cached = settledParts.GetValueOrDefault(key);
        command.Parameters.Add(new NpgsqlParameter<long>("cachedCount", cached?.Count ?? -1));
        command.Parameters.Add(new NpgsqlParameter<long>("cachedRevision", cached?.Revision ?? -1));
        await using var reader = await command.ExecuteReaderAsync(ct);
        // The settled part: the cached one when the rows are as they were, else the rows read now (cached for the next call).
        Dictionary<(long, long), ResponseAccumulator>? fresh = null;
        long count = 0, revision = 0;
        while (await reader.ReadAsync(ct))
        {
            (count, revision) = (reader.GetInt64(0), reader.GetInt64(1));
            fresh ??= [];
            if (!await reader.IsDBNullAsync(2, ct))
            {
                AddRollupRow(reader, 2, (channel, user) => fresh.TryGetValue((channel, user), out var a) ? a : fresh[(channel, user)] = new ResponseAccumulator());
            }
        }
        var past = cached is not null && cached.Count == count && cached.Revision == revision ? cached.Series : fresh!;
        // A period with no past rows (no whole day, or all of it from today on) keeps nothing: it would only push out others.
        if (!settled.IsEmpty && !ReferenceEquals(past, cached?.Series))
        {
            if (settledParts.Count >= MaxCachedPeriods)
            {
                settledParts.Clear();
            }
            settledParts[key] = new SettledPart(count, revision, past);
        }
        foreach (var (at, accumulator) in past)
        {
            Get(at.Item1, at.Item2).AddRollups(accumulator);
        }
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            AddRollupRow(reader, 0, Get);
        }
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var channel = reader.GetInt64(1);
            var user = reader.GetInt64(2);
            var kind = reader.GetString(3);
            var seconds = reader.GetDouble(4);
            var business = reader.GetDouble(5);
            bool? within = await reader.IsDBNullAsync(6, ct) ? null : reader.GetBoolean(6);
            Get(filter, 0).Kind(kind).AddRaw(seconds, business, within);
            Get(filter, user).Kind(kind).AddRaw(seconds, business, within);
            if (filter == 0)
            {
                Get(channel, 0).Kind(kind).AddRaw(seconds, business, within);
            }
        }
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            Get(reader.GetInt64(0), reader.GetInt64(1)).Conversations += reader.GetInt64(2);
        }
        await reader.CloseAsync();
        await transaction.CommitAsync(ct);
        return new Result(series.ToDictionary(s => s.Key, s => s.Value.ToStats()));
    }
}
