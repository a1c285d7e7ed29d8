using System.Collections.Concurrent;
using System.Diagnostics;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>
/// Sends requests at a fixed rate for a fixed time, with at most <paramref name="concurrency"/> in flight (past that
/// they would only queue for database connections): the push scenarios' open-loop load. Bounded in time as well as in
/// count, so a server slower than the rate makes the loop wait for a free slot and stop at the end of the time.
/// </summary>
public sealed class PacedSender(HttpClient http, int concurrency)
{
    private readonly SemaphoreSlim inflight = new(concurrency);
    private readonly ConcurrentDictionary<int, Task> pending = new();
    private int sent;
    private long failed;

    public int Sent => Volatile.Read(ref sent);

    /// <summary>Requests that failed, timed out or were not answered with a success status.</summary>
    public long Failed => Interlocked.Read(ref failed);

    /// <summary>
    /// Sends until the time or <paramref name="maxMessages"/> runs out. <paramref name="prepare"/> runs on the loop right
    /// before message i goes out (record its id and send time there) and returns its request; <paramref name="answered"/>
    /// gets whether it succeeded. Returns how long the sending took.
    /// </summary>
    public async Task<TimeSpan> RunAsync(double rate, TimeSpan duration, int maxMessages, Func<int, HttpRequestMessage> prepare, Action<int, bool>? answered = null)
    {
        var clock = Stopwatch.StartNew();
        while (Sent < maxMessages)
        {
            var due = TimeSpan.FromSeconds(Sent / rate);
            if (due > duration || clock.Elapsed > duration)
            {
                break;
            }
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            var left = duration - clock.Elapsed;
            if (!await inflight.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                break;
            }
            var i = Interlocked.Increment(ref sent) - 1;
            var request = prepare(i);
            pending[i] = Task.Run(async () =>
            {
                var ok = false;
                try
                {
                    using (request)
                    using (var response = await http.SendAsync(request))
                    {
                        ok = response.IsSuccessStatusCode;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Counted below.
                }
                finally
                {
                    if (!ok)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    answered?.Invoke(i, ok);
                    inflight.Release();
                    pending.TryRemove(i, out _);
                }
            });
        }
        return clock.Elapsed;
    }

    /// <summary>Waits for the requests still in flight, at most <paramref name="timeout"/>.</summary>
    public Task DrainAsync(TimeSpan timeout) => Task.WhenAny(Task.WhenAll(pending.Values.ToArray()), Task.Delay(timeout));
}
