namespace ContactCenter.Api.Features.Stats;

/// <summary>One series' figures while a period is read: per kind, from rollup rows and raw events; merged from a cached past part.</summary>
internal sealed class ResponseAccumulator
{
    private readonly Dictionary<string, ResponseKindFigure> kinds = [];
    public long Conversations { get; set; }

    public ResponseKindFigure Kind(string kind) => kinds.TryGetValue(kind, out var f) ? f : kinds[kind] = new ResponseKindFigure();

    /// <summary>Adds another accumulator's rollup figures (a cached past part, which holds no raw events).</summary>
    public void AddRollups(ResponseAccumulator other)
    {
        Conversations += other.Conversations;
        foreach (var (kind, figure) in other.kinds)
        {
            Kind(kind).AddRollup(figure);
        }
    }

    public ResponseStats ToStats()
    {
        Figure F(string kind) => kinds.TryGetValue(kind, out var f) && f.N > 0 ? f.ToFigure() : new Figure(0, null, null, null, null, null);
        return new ResponseStats(Conversations, F(ResponseTimesQuery.Kinds[0]), F(ResponseTimesQuery.Kinds[1]), F(ResponseTimesQuery.Kinds[2]));
    }
}

internal sealed class ResponseKindFigure
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

    /// <summary>A rollup row's figures, or another figure's (from rollups only).</summary>
    public void AddRollup(ResponseKindFigure other)
    {
        FromRollup |= other.FromRollup;
        N += other.N;
        SecondsSum += other.SecondsSum;
        BusinessSum += other.BusinessSum;
        Within += other.Within;
        Targeted += other.Targeted;
        Seconds.Add(other.Seconds);
        Business.Add(other.Business);
    }

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
