using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>
/// The benchmark's own HTTP load generator: <c>concurrency</c> workers in a closed loop (send, await the answer,
/// send again) for a fixed time, over keep-alive connections. The same generator measures the bare Kestrel
/// ceiling and the app, so their ratio compares like with like.
/// </summary>
public static class HttpLoad
{
    public sealed record Result(long Ok, long Failed, TimeSpan Elapsed, Latency Latency, IReadOnlyDictionary<string, long> Errors)
    {
        public double OkPerSecond => Ok / Elapsed.TotalSeconds;

        public string ErrorText => Errors.Count == 0 ? "" : "errors: " + string.Join(", ", Errors.OrderByDescending(e => e.Value).Take(3).Select(e => $"{e.Key} x{e.Value}"));
    }

    public static HttpClient NewClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    })
    { Timeout = TimeSpan.FromSeconds(60) };

    /// <param name="make">Builds the next request of one worker (worker index given).</param>
    /// <param name="check">True when the answer counts as done; may read the body.</param>
    public static async Task<Result> RunAsync(string title, HttpClient client, int concurrency, TimeSpan duration,
        Func<int, HttpRequestMessage> make, Func<HttpRequestMessage, HttpResponseMessage, ValueTask<bool>> check, Func<string>? extraStatus = null)
    {
        long ok = 0, failed = 0;
        var errors = new ConcurrentDictionary<string, long>();
        var latencies = Enumerable.Range(0, concurrency).Select(_ => new Latency()).ToArray();
        var sw = Stopwatch.StartNew();
        using var progress = new Progress(title, duration, () =>
            $"{Fmt.Rate(Interlocked.Read(ref ok) / Math.Max(0.001, sw.Elapsed.TotalSeconds))} ok, {Interlocked.Read(ref failed)} failed"
            + (extraStatus is null ? "" : ", " + extraStatus()));
        var end = duration;
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            while (sw.Elapsed < end)
            {
                using var request = make(w);
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    if (await check(request, response))
                    {
                        latencies[w].RecordElapsed(start, Stopwatch.GetTimestamp());
                        Interlocked.Increment(ref ok);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                        errors.AddOrUpdate(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref failed);
                    errors.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
                    await Task.Delay(50);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = sw.Elapsed;
        var all = new Latency();
        foreach (var l in latencies)
        {
            all.Add(l);
        }
        return new Result(ok, failed, elapsed, all, errors);
    }

    public static ValueTask<bool> Success(HttpRequestMessage _, HttpResponseMessage r) => ValueTask.FromResult(r.IsSuccessStatusCode);
}
