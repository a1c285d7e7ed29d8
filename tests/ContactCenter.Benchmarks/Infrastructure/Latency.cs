using HdrHistogram;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>A latency histogram in microseconds (HdrHistogram, 3 significant digits, up to 10 minutes).</summary>
public sealed class Latency
{
    private readonly LongHistogram histogram = new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
    private readonly object gate = new();

    public long Count => histogram.TotalCount;

    /// <summary>Records microseconds (values below 1 count as 1; above the range, as the maximum).</summary>
    public void Record(long micros)
    {
        var v = Math.Clamp(micros, 1, histogram.HighestTrackableValue);
        lock (gate)
        {
            histogram.RecordValue(v);
        }
    }

    public void RecordElapsed(long startTimestamp, long endTimestamp) =>
        Record((long)((endTimestamp - startTimestamp) * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency));

    public void Add(Latency other)
    {
        lock (gate)
        {
            lock (other.gate)
            {
                histogram.Add(other.histogram);
            }
        }
    }

    public double PercentileMs(double p)
    {
        lock (gate)
        {
            return histogram.TotalCount == 0 ? double.NaN : histogram.GetValueAtPercentile(p) / 1000.0;
        }
    }

    public double MaxMs
    {
        get
        {
            lock (gate)
            {
                return histogram.TotalCount == 0 ? double.NaN : histogram.GetMaxValue() / 1000.0;
            }
        }
    }

    public string Summary() => Count == 0 ? "no samples"
        : $"p50 {Fmt.Ms(PercentileMs(50))}, p99 {Fmt.Ms(PercentileMs(99))}, max {Fmt.Ms(MaxMs)} (n={Count:N0})";
}

public static class Fmt
{
    public static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms < 10 ? $"{ms:0.00} ms" : ms < 1000 ? $"{ms:0.0} ms" : $"{ms / 1000:0.00} s";

    public static string Rate(double perSecond) => double.IsNaN(perSecond) ? "-" : perSecond >= 100 ? $"{perSecond:N0}/s" : $"{perSecond:0.0}/s";

    public static string Bytes(double bytes) => double.IsNaN(bytes) ? "-" : bytes >= 1024 * 1024 ? $"{bytes / 1024 / 1024:0.0} MB" : $"{bytes / 1024:0.0} KB";

    public static string Ratio(double ratio) => double.IsNaN(ratio) || double.IsInfinity(ratio) ? "" : ratio >= 10 ? $"{ratio:0}x" : $"{ratio:0.00}x";
}
