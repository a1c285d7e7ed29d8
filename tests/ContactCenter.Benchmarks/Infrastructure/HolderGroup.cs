using System.Diagnostics;
using System.Globalization;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>The runner's side of <see cref="Helpers.Holder"/>: several holder processes acting as one.</summary>
public sealed class HolderGroup : IAsyncDisposable
{
    public const int PerProcess = 6000;

    private sealed class Member(Process process)
    {
        public Process Process { get; } = process;
        public int Connected;
        public int Failed;
        public string? Error;
        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly List<Member> members = [];

    public int Connected => members.Sum(m => Volatile.Read(ref m.Connected));
    public int Failed => members.Sum(m => Volatile.Read(ref m.Failed));
    public string? FirstError => members.Select(m => m.Error).FirstOrDefault(e => !string.IsNullOrEmpty(e));

    /// <summary>Starts processes holding <paramref name="count"/> connections to <paramref name="hubUrl"/> and waits until all have tried (or the deadline).</summary>
    public static async Task<HolderGroup> ConnectAsync(BenchOptions o, string title, string hubUrl, string? tokensFile, int count, TimeSpan deadline, string eventName)
    {
        var group = new HolderGroup();
        var self = typeof(HolderGroup).Assembly.Location;
        var processes = (count + PerProcess - 1) / PerProcess;
        var concurrency = Math.Max(4, 48 / processes);
        for (var i = 0; i < processes; i++)
        {
            var from = i * PerProcess;
            var n = Math.Min(PerProcess, count - from);
            var p = Children.Start("dotnet", [self, "hold", "--url", hubUrl, "--tokens", tokensFile ?? "none",
                    "--from", from.ToString(CultureInfo.InvariantCulture), "--count", n.ToString(CultureInfo.InvariantCulture),
                    "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
                    "--deadline-seconds", deadline.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--event", eventName],
                null, new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" }, Path.Combine(o.WorkDir, $"holder-{i}.log"), readOutput: true);
            var member = new Member(p);
            group.members.Add(member);
            _ = Task.Run(() => group.PumpAsync(member));
        }
        using (new Progress(title, deadline, () => $"{group.Connected:N0}/{count:N0} connected, {group.Failed:N0} failed"))
        {
            var all = Task.WhenAll(group.members.Select(m => m.Ready.Task));
            await Task.WhenAny(all, Task.Delay(deadline + TimeSpan.FromSeconds(90)));
        }
        return group;
    }

    private readonly Dictionary<Member, Queue<TaskCompletionSource<string>>> waiters = [];

    private async Task PumpAsync(Member m)
    {
        string? line;
        while ((line = await m.Process.StandardOutput.ReadLineAsync()) is not null)
        {
            var parts = line.Split(' ', 4);
            switch (parts[0])
            {
                case "progress":
                    Volatile.Write(ref m.Connected, int.Parse(parts[1], CultureInfo.InvariantCulture));
                    Volatile.Write(ref m.Failed, int.Parse(parts[2], CultureInfo.InvariantCulture));
                    break;
                case "ready":
                    Volatile.Write(ref m.Connected, int.Parse(parts[1], CultureInfo.InvariantCulture));
                    Volatile.Write(ref m.Failed, int.Parse(parts[2], CultureInfo.InvariantCulture));
                    m.Error = parts.Length > 3 ? parts[3] : null;
                    m.Ready.TrySetResult();
                    break;
                default:
                    TaskCompletionSource<string>? waiter = null;
                    lock (waiters)
                    {
                        if (waiters.TryGetValue(m, out var q) && q.Count > 0)
                        {
                            waiter = q.Dequeue();
                        }
                    }
                    waiter?.TrySetResult(line);
                    break;
            }
        }
        m.Ready.TrySetResult();
    }

    private async Task<string[]> AskAllAsync(string command, TimeSpan timeout)
    {
        var tasks = new List<Task<string>>();
        foreach (var m in members.Where(m => !m.Process.HasExited))
        {
            var tcs = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (waiters)
            {
                if (!waiters.TryGetValue(m, out var q))
                {
                    waiters[m] = q = new Queue<TaskCompletionSource<string>>();
                }
                q.Enqueue(tcs);
            }
            await m.Process.StandardInput.WriteLineAsync(command);
            await m.Process.StandardInput.FlushAsync();
            tasks.Add(tcs.Task);
        }
        var all = Task.WhenAll(tasks);
        await Task.WhenAny(all, Task.Delay(timeout));
        return tasks.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToArray();
    }

    public Task MarkAsync() => AskAllAsync("mark", TimeSpan.FromSeconds(30));

    /// <summary>Waits up to <paramref name="limit"/> for every connection to receive the event; returns receipt timestamps and extra receipts.</summary>
    public async Task<(List<long> Stamps, long Extra)> CollectAsync(TimeSpan limit)
    {
        var answers = await AskAllAsync("collect " + limit.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture), limit + TimeSpan.FromSeconds(30));
        var stamps = new List<long>();
        long extra = 0;
        foreach (var a in answers)
        {
            var parts = a.Split(' ', 4);
            extra += long.Parse(parts[2], CultureInfo.InvariantCulture);
            if (parts.Length > 3 && parts[3].Length > 0)
            {
                stamps.AddRange(parts[3].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)));
            }
        }
        return (stamps, extra);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AskAllAsync("quit", TimeSpan.FromSeconds(60));
        }
        catch (IOException)
        {
        }
        foreach (var m in members)
        {
            await Children.StopAsync(m.Process, TimeSpan.FromSeconds(10));
        }
    }
}
