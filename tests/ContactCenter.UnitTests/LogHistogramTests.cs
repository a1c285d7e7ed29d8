using ContactCenter.Api.Features.Stats;

namespace ContactCenter.UnitTests;

/// <summary>The response-time reports' mergeable histogram: percentiles within its stated error, merges equal to adds.</summary>
public sealed class LogHistogramTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Percentiles_are_within_the_stated_error_of_percentile_cont(int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 5_000).Select(_ => random.NextDouble() < 0.05 ? 0 : Math.Exp(random.NextDouble() * 12)).ToList();
        var histogram = new LogHistogram();
        values.ForEach(histogram.Add);
        values.Sort();
        foreach (var p in new[] { 0.0, 0.1, 0.5, 0.9, 0.99, 1.0 })
        {
            var rank = p * (values.Count - 1);
            var lo = (int)Math.Floor(rank);
            var exact = values[lo] + (rank - lo) * (values[(int)Math.Ceiling(rank)] - values[lo]);
            var read = histogram.Percentile(p)!.Value;
            Assert.True(Math.Abs(read - exact) <= exact * (LogHistogram.RelativeError + 1e-9) + 1e-9, $"p{p}: {read} against {exact}");
        }
        Assert.Equal(values.Count, histogram.Count);
    }

    [Fact]
    public void A_stored_histogram_merges_as_its_values_would_add()
    {
        var added = new LogHistogram();
        var merged = new LogHistogram();
        foreach (var seconds in new[] { 0, 0.5, 3, 3.1, 60, 61, 3600, 86_400 })
        {
            added.Add(seconds);
        }
        // As PostgreSQL stores it: counts from bucket `lower` on, nulls for empty buckets.
        var buckets = new[] { 0, 0.5, 3, 3.1, 60, 61, 3600, 86_400 }.Select(LogHistogram.Bucket).ToList();
        var lower = buckets.Min();
        var stored = new int?[buckets.Max() - lower + 1];
        foreach (var b in buckets)
        {
            stored[b - lower] = (stored[b - lower] ?? 0) + 1;
        }
        merged.AddArraySend(ArraySend(lower, stored));
        Assert.Equal(added.Count, merged.Count);
        foreach (var p in new[] { 0.0, 0.25, 0.5, 0.75, 0.9, 1.0 })
        {
            Assert.Equal(added.Percentile(p), merged.Percentile(p));
        }
        Assert.Null(new LogHistogram().Percentile(0.5));
        var empty = new LogHistogram();
        empty.AddArraySend(ArraySend(1, []));
        Assert.Equal(0, empty.Count);
    }

    /// <summary>What PostgreSQL's array_send(int[]) returns: dimensions, has-nulls, element type, length and lower bound, then (length, value) per element.</summary>
    private static byte[] ArraySend(int lower, int?[] values)
    {
        var bytes = new List<byte>();
        void Int(int v) => bytes.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        if (values.Length == 0)
        {
            Int(0);
            Int(0);
            Int(23);
            return [.. bytes];
        }
        Int(1);
        Int(values.Any(v => v is null) ? 1 : 0);
        Int(23);
        Int(values.Length);
        Int(lower);
        foreach (var v in values)
        {
            if (v is { } c)
            {
                Int(4);
                Int(c);
            }
            else
            {
                Int(-1);
            }
        }
        return [.. bytes];
    }
}
