using Npgsql;

namespace ContactCenter.Api.Features.Stats;

/// <summary>
/// Response-time figures for a period from the rollups (migration 1118): whole months from the month rows, the remaining
/// whole UTC days from the day rows, the partial days at the edges from the raw events (covering index on `at`). Counts,
/// averages and within-target shares are exact; percentiles come from the merged log histograms (within
/// <see cref="LogHistogram.RelativeError"/>), or are exact when the whole period was read from raw events.
/// Distinct conversations are exact: conversation starts per day for the whole days, plus the edge conversations that had
/// no event in those days.
/// </summary>
public sealed class ResponseTimesQuery(NpgsqlDataSource db)
{
    public static readonly string[] Kinds = ["first_response", "reply", "resolution"];

    // The rollups as three key ranges each (months, the days before them, the days after them), so each is an index range
    // (the OR of the filter and the periods read every row of the channel key: 26,000 rows for 1,100 in the benchmark);
    // the histograms in PostgreSQL's binary array form (array_send), read by LogHistogram.AddArraySend: Npgsql's array
    // reader, an async state machine per element, was a quarter of the request's CPU for 275,000 elements a year.
    private const string RollupRanges = """
          and ((r.grain = 'm' and r.period >= @monthsFrom and r.period < @monthsTo)
            or (r.grain = 'd' and r.period >= @daysFrom and r.period < @monthsFrom)
            or (r.grain = 'd' and r.period >= @monthsTo and r.period < @daysTo))
        """;

    private const string RollupColumns = "channel_key, user_key, kind, n, seconds_sum, business_sum, within_n, target_n, array_send(hist), array_send(business_hist)";

    private const string Sql = $"""
        select {RollupColumns} from response_rollups r
        where r.channel_key = @channel {RollupRanges}
        union all
        select {RollupColumns} from response_rollups r
        where @channel = 0 and r.user_key = 0 and r.channel_key <> 0 {RollupRanges};

        select conversation_id, channel_id, coalesce(user_id, -1), kind, seconds, business_seconds, within_target
        from response_events
        where ((at >= @raw1From and at < @raw1To) or (at >= @raw2From and at < @raw2To)) and (@channel = 0 or channel_id = @channel);

        select channel_key, user_key, sum(conversations)::bigint
        from response_conversation_starts
        where (channel_key = @channel or (@channel = 0 and user_key = 0)) and day >= @daysFrom and day < @daysTo and prev_day < @daysFrom
        group by channel_key, user_key;

        with e as (
            select distinct conversation_id, channel_id, coalesce(user_id, -1) as user_id from response_events
            where ((at >= @raw1From and at < @raw1To) or (at >= @raw2From and at < @raw2To)) and (@channel = 0 or channel_id = @channel)
        ), g as (
            select @channel as channel_key, 0::bigint as user_key, conversation_id from e
            union select @channel, user_id, conversation_id from e
            union select channel_id, 0, conversation_id from e where @channel = 0
        )
        select channel_key, user_key, count(*)
        from g
        where not exists (select 1 from response_conversation_days d where d.channel_key = g.channel_key and d.user_key = g.user_key
                          and d.conversation_id = g.conversation_id and d.day >= @daysFrom and d.day < @daysTo)
        group by channel_key, user_key;
        """;

    /// <summary>Figures per series: key (0, 0) or (channel, 0) is everything (of a channel), (channelFilter, user) one user.</summary>
    public sealed record Result(IReadOnlyDictionary<(long Channel, long User), ResponseStats> Series);

    public async Task<Result> ReadAsync(DateTimeOffset from, DateTimeOffset to, long? channelId, CancellationToken ct)
    {
        var plan = PeriodPlan.Of(from.UtcDateTime, to.UtcDateTime);
        var filter = channelId ?? 0;
        var series = new Dictionary<(long, long), Accumulator>();
        Accumulator Get(long channel, long user) => series.TryGetValue((channel, user), out var a) ? a : series[(channel, user)] = new Accumulator();

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long>("channel", filter));
        command.Parameters.Add(new NpgsqlParameter<DateOnly>("daysFrom", plan.DaysFrom));
        command.Parameters.Add(new NpgsqlParameter<DateOnly>("daysTo", plan.DaysTo));
        command.Parameters.Add(new NpgsqlParameter<DateOnly>("monthsFrom", plan.MonthsFrom));
        command.Parameters.Add(new NpgsqlParameter<DateOnly>("monthsTo", plan.MonthsTo));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("raw1From", plan.Raw1From));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("raw1To", plan.Raw1To));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("raw2From", plan.Raw2From));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("raw2To", plan.Raw2To));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var figure = Get(reader.GetInt64(0), reader.GetInt64(1)).Kind(reader.GetString(2));
            figure.FromRollup = true;
            figure.N += reader.GetInt64(3);
            figure.SecondsSum += reader.GetDecimal(4);
            figure.BusinessSum += reader.GetDecimal(5);
            figure.Within += reader.GetInt64(6);
            figure.Targeted += reader.GetInt64(7);
            if (!await reader.IsDBNullAsync(8, ct))
            {
                figure.Seconds.AddArraySend(reader.GetFieldValue<byte[]>(8));
            }
            if (!await reader.IsDBNullAsync(9, ct))
            {
                figure.Business.AddArraySend(reader.GetFieldValue<byte[]>(9));
            }
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
        for (var pass = 0; pass < 2; pass++)
        {
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                Get(reader.GetInt64(0), reader.GetInt64(1)).Conversations += reader.GetInt64(2);
            }
        }
        return new Result(series.ToDictionary(s => s.Key, s => s.Value.ToStats()));
    }

    private sealed class Accumulator
    {
        private readonly Dictionary<string, KindFigure> kinds = [];
        public long Conversations { get; set; }

        public KindFigure Kind(string kind) => kinds.TryGetValue(kind, out var f) ? f : kinds[kind] = new KindFigure();

        public ResponseStats ToStats()
        {
            Figure F(string kind) => kinds.TryGetValue(kind, out var f) && f.N > 0 ? f.ToFigure() : new Figure(0, null, null, null, null, null);
            return new ResponseStats(Conversations, F(Kinds[0]), F(Kinds[1]), F(Kinds[2]));
        }
    }

    private sealed class KindFigure
    {
        private readonly List<double> rawSeconds = [];
        private readonly List<double> rawBusiness = [];
        public bool FromRollup { get; set; }
        public long N { get; set; }
        public decimal SecondsSum { get; set; }
        public decimal BusinessSum { get; set; }
        public long Within { get; set; }
        public long Targeted { get; set; }
        public LogHistogram Seconds { get; } = new();
        public LogHistogram Business { get; } = new();

        public void AddRaw(double seconds, double business, bool? within)
        {
            N++;
            SecondsSum += (decimal)seconds;
            BusinessSum += (decimal)business;
            Within += within == true ? 1 : 0;
            Targeted += within is null ? 0 : 1;
            Seconds.Add(seconds);
            Business.Add(business);
            rawSeconds.Add(seconds);
            rawBusiness.Add(business);
        }

        public Figure ToFigure()
        {
            // A period read only from raw events (a day or two) is answered exactly, as percentile_cont would. From rollups,
            // the sum makes some answers exact too: one event is its own every percentile, and the median of two is their
            // mean (the histogram's bucket would be off by up to its error: 82.7 s for one response of 80.9 s).
            var mean = (double)(SecondsSum / N);
            var businessMean = (double)(BusinessSum / N);
            double? P(LogHistogram h, List<double> raw, double p, double average) =>
                !FromRollup ? Exact(raw, p) : N == 1 || (N == 2 && p == 0.5) ? average : h.Percentile(p);
            return new Figure(N, P(Seconds, rawSeconds, 0.5, mean), P(Seconds, rawSeconds, 0.9, mean), P(Business, rawBusiness, 0.5, businessMean),
                P(Business, rawBusiness, 0.9, businessMean), Targeted == 0 ? null : (double)Within / Targeted, mean, businessMean);
        }

        private static double? Exact(List<double> values, double p)
        {
            if (values.Count == 0)
            {
                return null;
            }
            values.Sort();
            var rank = p * (values.Count - 1);
            var lo = (int)Math.Floor(rank);
            var hi = (int)Math.Ceiling(rank);
            return values[lo] + (rank - lo) * (values[hi] - values[lo]);
        }
    }
}
