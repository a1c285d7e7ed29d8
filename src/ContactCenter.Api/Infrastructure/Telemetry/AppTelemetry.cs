using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ContactCenter.Api.Infrastructure.Telemetry;

/// <summary>
/// The app's own spans and instruments (names in docs/operations.md). One meter per service provider
/// (<see cref="IMeterFactory"/>), so two app instances in one process — the tests' nodes — do not add up each other's
/// numbers; the activity source is process-wide, as spans carry their own trace.
/// </summary>
public sealed class AppTelemetry
{
    public const string Name = "ContactCenter";

    public static readonly ActivitySource Source = new(Name);

    // Buckets for what these measure (milliseconds to seconds; 1 to MaxBatch), not the SDK's generic 0-10000.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private static readonly InstrumentAdvice<int> BatchSizes = new() { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] };

    public AppTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        InboundMessages = meter.CreateCounter<long>("contactcenter.inbound.messages", "{message}",
            "Inbound messages accepted by the pipeline, by channel and outcome (stored or duplicate).");
        InboundDuration = meter.CreateHistogram("contactcenter.inbound.duration", "s",
            "From the pipeline taking a message to its commit and push, by channel.", advice: Seconds);
        BatchSize = meter.CreateHistogram("contactcenter.inbound.batch.size", "{message}",
            "Messages stored by one group-commit transaction.", advice: BatchSizes);
        OutboxSends = meter.CreateCounter<long>("contactcenter.outbox.sends", "{attempt}",
            "Outbox send attempts by channel kind and result (sent, retry, failed).");
        PushDuration = meter.CreateHistogram("contactcenter.push.duration", "s",
            "Fan-out of one new message to its audience over SignalR (audience, summaries, sends).", advice: Seconds);
        AutomationJobs = meter.CreateCounter<long>("contactcenter.automation.jobs", "{job}",
            "Automation jobs run, by result (done, skipped, failed after its retries).");
        // Every result from the start, at zero: a series that appears only with its first job makes rate() and alerts
        // on it blind until then.
        foreach (var result in new[] { "done", "skipped", "failed" })
        {
            AutomationJobs.Add(0, new KeyValuePair<string, object?>("result", result));
        }
        meter.CreateObservableGauge("contactcenter.outbox.depth", () => Outbox.Depth, "{message}",
            "Outbox messages waiting to be sent (sampled).");
        meter.CreateObservableGauge("contactcenter.outbox.age", () => Outbox.OldestSeconds, "s",
            "How long the oldest waiting outbox message has been due (sampled).");
        meter.CreateObservableGauge("contactcenter.email.readers", () => Outbox.EmailReaders, "{reader}",
            "Email channels whose mailbox this node holds (sampled).");
    }

    public Counter<long> InboundMessages { get; }
    public Histogram<double> InboundDuration { get; }
    public Histogram<int> BatchSize { get; }
    public Counter<long> OutboxSends { get; }
    public Histogram<double> PushDuration { get; }
    public Counter<long> AutomationJobs { get; }

    /// <summary>The last sample of what needs a query to know (<see cref="OutboxSampler"/>).</summary>
    public OutboxSample Outbox { get; set; } = new(0, 0, 0);
}

public sealed record OutboxSample(long Depth, double OldestSeconds, long EmailReaders);
