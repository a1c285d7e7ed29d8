using System.Buffers.Binary;

namespace ContactCenter.Api.Features.Stats;

/// <summary>
/// A mergeable histogram of durations with buckets a factor of 1.05 wide, the same buckets as the SQL function
/// response_rollup_bucket (index 1: exactly zero; index i >= 2: [1.05^(i-200), 1.05^(i-199)) seconds). A percentile is
/// read as percentile_cont does over the sorted values, each value replaced by its bucket's geometric middle, so it is
/// within <see cref="RelativeError"/> (sqrt(1.05) - 1, about 2.47 %) of the exact figure.
/// </summary>
public sealed class LogHistogram
{
    public const double Base = 1.05;
    public const int Offset = 200;
    public const int MaxIndex = 1000;
    public static readonly double RelativeError = Math.Sqrt(Base) - 1;

    /// <summary>Count per bucket index (1..MaxIndex), made on the first add: a year's report merges ~300,000 stored buckets
    /// (a sorted dictionary took ~60 ms of CPU per request for that; an array add is a nanosecond).</summary>
    private long[]? counts;

    public long Count { get; private set; }

    public static int Bucket(double seconds) =>
        seconds <= 0 ? 1 : Math.Clamp((int)Math.Floor(Math.Log(seconds) / Math.Log(Base)) + Offset, 2, MaxIndex);

    public static double Middle(int index) => index <= 1 ? 0 : Math.Pow(Base, index - Offset + 0.5);

    public void Add(double seconds) => Add(Bucket(seconds), 1);

    public void Add(int index, long count)
    {
        if (count == 0)
        {
            return;
        }
        counts ??= new long[MaxIndex + 1];
        counts[Math.Clamp(index, 1, MaxIndex)] += count;
        Count += count;
    }

    /// <summary>Adds another histogram's counts (merging is adding: the buckets are the same).</summary>
    public void Add(LogHistogram other)
    {
        if (other.counts is null)
        {
            return;
        }
        if (counts is null)
        {
            // The first merge (a cached part into a new series) is a copy: half the work of zeroing then adding.
            counts = (long[])other.counts.Clone();
            Count = other.Count;
            return;
        }
        for (var index = 1; index <= MaxIndex; index++)
        {
            counts[index] += other.counts[index];
        }
        Count += other.Count;
    }

    /// <summary>
    /// Adds a histogram as stored in PostgreSQL (an int array whose first element is at index `lower`, nulls for empty
    /// buckets), read in PostgreSQL's binary array form (`array_send(int[])`): dimensions, a has-nulls flag and
    /// the element type, then per dimension its length and lower bound, then each element as a length (-1: null) and its
    /// big-endian value. An empty array has no dimensions.
    /// </summary>
    public void AddArraySend(ReadOnlySpan<byte> data)
    {
        var dimensions = BinaryPrimitives.ReadInt32BigEndian(data);
        if (dimensions == 0)
        {
            return;
        }
        if (dimensions != 1)
        {
            throw new FormatException($"A histogram has one dimension, not {dimensions}.");
        }
        var length = BinaryPrimitives.ReadInt32BigEndian(data[12..]);
        var lower = BinaryPrimitives.ReadInt32BigEndian(data[16..]);
        var at = 20;
        for (var k = 0; k < length; k++)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(data[at..]);
            at += 4;
            if (size < 0)
            {
                continue;
            }
            Add(lower + k, BinaryPrimitives.ReadInt32BigEndian(data[at..]));
            at += size;
        }
    }

    /// <summary>percentile_cont(p) over the bucket middles: the values at ranks floor and ceil of p·(n-1), interpolated.</summary>
    public double? Percentile(double p)
    {
        if (Count <= 0 || counts is null)
        {
            return null;
        }
        var rank = p * (Count - 1);
        var lo = (long)Math.Floor(rank);
        var hi = (long)Math.Ceiling(rank);
        double? low = null;
        double? high = null;
        long seen = 0;
        for (var index = 1; index <= MaxIndex; index++)
        {
            var c = counts[index];
            if (c <= 0)
            {
                continue;
            }
            seen += c;
            if (low is null && lo < seen)
            {
                low = Middle(index);
            }
            if (hi < seen)
            {
                high = Middle(index);
                break;
            }
        }
        return low is { } l && high is { } h ? l + (rank - lo) * (h - l) : null;
    }
}
