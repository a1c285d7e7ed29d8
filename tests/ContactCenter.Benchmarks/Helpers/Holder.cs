using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace ContactCenter.Benchmarks.Helpers;

/// <summary>
/// A helper process that holds thousands of idle hub connections (one process may only open so many
/// files). It talks to the runner over stdin/stdout, one line per message:
/// out `progress C F`, `ready C F [error]` (C connected and still open, F failed or closed by the server); in `mark` (forget receipts) -> `marked`;
/// `collect MS` -> `collected RECEIVED EXTRA t1,t2,...` (Stopwatch timestamps, comparable across processes
/// on Linux: CLOCK_MONOTONIC); `quit`.
/// </summary>
public static class Holder
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, "--" + name) + 1];
        var url = Arg("url");
        var tokensFile = Arg("tokens");
        var from = int.Parse(Arg("from"), CultureInfo.InvariantCulture);
        var count = int.Parse(Arg("count"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Arg("concurrency"), CultureInfo.InvariantCulture);
        var deadline = TimeSpan.FromSeconds(double.Parse(Arg("deadline-seconds"), CultureInfo.InvariantCulture));
        var eventName = Arg("event");
        var tokens = tokensFile == "none" ? [] : File.ReadAllLines(tokensFile);

        var connections = new HubConnection?[count];
        var first = new long[count];
        var extra = 0L;
        var connected = 0;
        var failed = 0;
        var dropped = 0;
        string? firstError = null;
        var stdout = new object();
        void Send(string line)
        {
            lock (stdout)
            {
                Console.Out.WriteLine(line);
                Console.Out.Flush();
            }
        }

        var sw = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(concurrency))
        using (var ticker = new Timer(_ => Send($"progress {Volatile.Read(ref connected) - Volatile.Read(ref dropped)} {Volatile.Read(ref failed) + Volatile.Read(ref dropped)}"), null, 500, 500))
        {
            var tasks = new List<Task>(count);
            for (var i = 0; i < count; i++)
            {
                await gate.WaitAsync();
                if (sw.Elapsed > deadline)
                {
                    gate.Release();
                    break;
                }
                var index = i;
                var token = tokens.Length == 0 ? null : tokens[(from + i) % tokens.Length];
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        var connection = new HubConnectionBuilder()
                            .WithUrl(url, o =>
                            {
                                o.Transports = HttpTransportType.WebSockets;
                                o.SkipNegotiation = true;
                                if (token is not null)
                                {
                                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                                }
                            })
                            .Build();
                        connection.ServerTimeout = TimeSpan.FromMinutes(5);
                        InboxEvents.HandleOthers(connection, eventName);
                        connection.On<JsonElement>(eventName, _ =>
                        {
                            var now = Stopwatch.GetTimestamp();
                            if (Interlocked.CompareExchange(ref first[index], now, 0) != 0)
                            {
                                Interlocked.Increment(ref extra);
                            }
                        });
                        // The server may close a connection right after the handshake (OnConnectedAsync failed): count it as dropped.
                        connection.Closed += _ =>
                        {
                            if (connections[index] is not null)
                            {
                                Interlocked.Increment(ref dropped);
                            }
                            return Task.CompletedTask;
                        };
                        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                        await connection.StartAsync(cts.Token);
                        connections[index] = connection;
                        Interlocked.Increment(ref connected);
                    }
                    catch (Exception ex)
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" "), null);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }
            await Task.WhenAll(tasks);
        }
        // Give the server a moment to close what it refused after the handshake.
        await Task.Delay(2000);
        if (dropped > 0)
        {
            Interlocked.CompareExchange(ref firstError, $"{dropped} closed by the server after connecting", null);
        }
        Send($"ready {connected - dropped} {failed + dropped} {firstError}");

        string? command;
        while ((command = await Console.In.ReadLineAsync()) is not null)
        {
            var parts = command.Split(' ');
            switch (parts[0])
            {
                case "mark":
                    Array.Clear(first);
                    Interlocked.Exchange(ref extra, 0);
                    Send("marked");
                    break;
                case "collect":
                    var wait = Stopwatch.StartNew();
                    var limit = TimeSpan.FromMilliseconds(double.Parse(parts[1], CultureInfo.InvariantCulture));
                    int received;
                    while (true)
                    {
                        received = 0;
                        for (var i = 0; i < count; i++)
                        {
                            if (connections[i] is not null && Volatile.Read(ref first[i]) != 0)
                            {
                                received++;
                            }
                        }
                        if (received >= connected - Volatile.Read(ref dropped) || wait.Elapsed > limit)
                        {
                            break;
                        }
                        await Task.Delay(20);
                    }
                    var stamps = new StringBuilder();
                    foreach (var t in first.Where(t => t != 0))
                    {
                        stamps.Append(stamps.Length == 0 ? "" : ",").Append(t.ToString(CultureInfo.InvariantCulture));
                    }
                    Send($"collected {received} {Interlocked.Read(ref extra)} {stamps}");
                    break;
                case "quit":
                    await Parallel.ForEachAsync(connections.Where(c => c is not null), new ParallelOptions { MaxDegreeOfParallelism = 32 },
                        async (c, _) => await c!.DisposeAsync());
                    Send("bye");
                    return 0;
            }
        }
        return 0;
    }
}
