using System.Diagnostics;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>
/// One live status line per phase: rewritten in place on a terminal, a plain line every 5 s when the
/// output goes to a file or a pipe.
/// </summary>
public sealed class Progress : IDisposable
{
    private static readonly bool Interactive = !Console.IsOutputRedirected;
    private static readonly object Gate = new();

    private readonly string title;
    private readonly TimeSpan? limit;
    private readonly Func<string> status;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Timer timer;
    private int ticks;

    public Progress(string title, TimeSpan? limit, Func<string> status)
    {
        this.title = title;
        this.limit = limit;
        this.status = status;
        timer = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public TimeSpan Elapsed => clock.Elapsed;

    private string Line()
    {
        var time = limit is { } l ? $"{clock.Elapsed.TotalSeconds,4:0}s/{l.TotalSeconds:0}s" : $"{clock.Elapsed.TotalSeconds,4:0}s";
        string text;
        try
        {
            text = status();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NullReferenceException)
        {
            text = "";
        }
        return $"    {title,-34} {time}  {text}";
    }

    private void Tick()
    {
        var n = Interlocked.Increment(ref ticks);
        lock (Gate)
        {
            if (Interactive)
            {
                var line = Line();
                var width = Math.Max(40, SafeWidth() - 1);
                Console.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
            }
            else if (n % 5 == 0)
            {
                Console.WriteLine(Line());
            }
        }
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 120;
        }
        catch (IOException)
        {
            return 120;
        }
    }

    public void Dispose()
    {
        timer.Dispose();
        lock (Gate)
        {
            if (Interactive)
            {
                Console.Write("\r" + new string(' ', Math.Max(40, SafeWidth() - 1)) + "\r");
            }
            Console.WriteLine(Line());
        }
    }

    /// <summary>A plain log line, kept apart from a live status line.</summary>
    public static void Say(string text)
    {
        lock (Gate)
        {
            Console.WriteLine(text);
        }
    }
}
