using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace ContactCenter.FunctionalTests;

public sealed class PrometheusFixture : AppFixture
{
    /// <summary>
    /// What this app's tracer provider exported, through OpenTelemetry's own in-memory exporter (added to the app's
    /// provider as an operator's OTLP exporter would be). Providers of other apps in this test process hear the same
    /// activity source, so a test picks its spans by trace id.
    /// </summary>
    private readonly LockedActivities exported = new();

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Telemetry:Prometheus"] = "true";
        return settings;
    }

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported));

    /// <summary>A copy of what was exported so far.</summary>
    public List<Activity> ExportedNow() => exported.Snapshot();

    /// <summary>The exporter adds from whichever thread ends a span; a test reads meanwhile.</summary>
    private sealed class LockedActivities : System.Collections.ObjectModel.Collection<Activity>
    {
        private readonly Lock gate = new();

        protected override void InsertItem(int index, Activity item)
        {
            lock (gate)
            {
                base.InsertItem(index, item);
            }
        }

        public List<Activity> Snapshot()
        {
            lock (gate)
            {
                return [.. Items];
            }
        }
    }
}

/// <summary>
/// OpenTelemetry as an operator sees it: the scrape endpoint counts what the pipeline did (stored vs duplicate,
/// batch sizes, HTTP, outbox, hub connections), and the exported trace of an inbound message runs from its webhook
/// request through its batch commit (linked with the group-commit batch that stored it) to its push.
/// </summary>
public sealed class TelemetryTests(PrometheusFixture fixture) : IClassFixture<PrometheusFixture>
{
    [Fact]
    public async Task The_scrape_endpoint_counts_stored_and_duplicate_messages_and_the_batches_that_stored_them()
    {
        await fixture.ResetAsync();
        var channel = await fixture.CreateApiChannelAsync(null);
        var channelLabel = $"channel_id=\"{channel.Id}\"";
        // Counters are cumulative per process and channel ids repeat after a reset: compare with a scrape taken first.
        var before = await ScrapeAsync();
        var stored0 = Sample(before, "contactcenter_inbound_messages_total", channelLabel, "outcome=\"stored\"");
        var duplicate0 = Sample(before, "contactcenter_inbound_messages_total", channelLabel, "outcome=\"duplicate\"");
        var batches0 = Sample(before, "contactcenter_inbound_batch_size_count");
        var batched0 = Sample(before, "contactcenter_inbound_batch_size_sum");
        var durations0 = Sample(before, "contactcenter_inbound_duration_seconds_count", channelLabel);

        await using var hub = await fixture.ConnectHubAsync(fixture.AdminToken); // a hub connection to count
        await fixture.IngestAsync(channel, "m-1", "cust-1", "hello");
        await fixture.IngestAsync(channel, "m-1", "cust-1", "hello"); // the provider's retry
        await fixture.IngestAsync(channel, "m-2", "cust-1", "again");

        var text = "";
        for (var i = 0; i < 50; i++)
        {
            text = await ScrapeAsync();
            if (Sample(text, "contactcenter_inbound_messages_total", channelLabel, "outcome=\"stored\"") - stored0 >= 2
                && Sample(text, "contactcenter_inbound_messages_total", channelLabel, "outcome=\"duplicate\"") - duplicate0 >= 1)
            {
                break;
            }
            await Task.Delay(200); // the exporter caches a scrape briefly
        }
        var ours = string.Join('\n', text.Split('\n').Where(l => l.Contains("contactcenter_inbound", StringComparison.Ordinal)));
        if (ours.Length == 0)
        {
            ours = $"no contactcenter_inbound line in a scrape of {text.Length} characters; its metric names: "
                + string.Join(", ", text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]));
        }
        Assert.True(Sample(text, "contactcenter_inbound_messages_total", channelLabel, "outcome=\"stored\"") - stored0 == 2, ours);
        Assert.True(Sample(text, "contactcenter_inbound_messages_total", channelLabel, "outcome=\"duplicate\"") - duplicate0 == 1, ours);
        // Every ingest was timed and went through a batch (the redelivery finds its first copy there).
        Assert.True(Sample(text, "contactcenter_inbound_duration_seconds_count", channelLabel) - durations0 == 3, ours);
        var batches = Sample(text, "contactcenter_inbound_batch_size_count") - batches0;
        Assert.InRange(batches, 1, 3);
        Assert.Equal(3, Sample(text, "contactcenter_inbound_batch_size_sum") - batched0); // all three went through a batch; no empty batch counted
        Assert.Contains("http_server_request_duration_seconds", text);
        Assert.Contains("contactcenter_outbox_depth", text);
        Assert.Contains("contactcenter_outbox_age_seconds", text);
        Assert.Contains("contactcenter_email_readers", text);
        Assert.Contains("contactcenter_automation_jobs_total{", text); // its results at zero before any job ran
        Assert.True(Sample(text, "signalr_server_active_connections") >= 1, "SignalR's own connection gauge: " + string.Join('\n', text.Split('\n').Where(l => l.Contains("signalr", StringComparison.Ordinal))));
        Assert.True(Sample(text, "contactcenter_push_duration_seconds_count") >= 2, ours); // the two stored messages were pushed
        Assert.DoesNotContain(channel.Secret, text);
    }

    private async Task<string> ScrapeAsync()
    {
        using var http = fixture.App.Http();
        var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task One_exported_trace_runs_from_the_webhook_through_the_batch_commit_to_the_push()
    {
        await fixture.ResetAsync();
        var channel = await fixture.CreateApiChannelAsync(null);

        var externalId = "trace-" + Guid.NewGuid().ToString("N");
        var stored = await fixture.IngestAsync(channel, externalId, "cust-t", "trace me");
        var messageId = stored["messageId"]!.GetValue<long>();

        Activity? ingest = null;
        List<Activity> trace = [];
        for (var i = 0; i < 50; i++)
        {
            var exported = fixture.ExportedNow();
            ingest ??= exported.FirstOrDefault(a => a.OperationName == "inbound.ingest" && Equals(a.GetTagItem("message.external_id"), externalId));
            trace = ingest is null ? [] : exported.Where(a => a.TraceId == ingest.TraceId).ToList();
            if (trace.Any(a => a.OperationName == "inbound.push") && trace.Any(a => a.Kind == ActivityKind.Server))
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.NotNull(ingest);
        var names = string.Join(", ", trace.Select(a => a.OperationName));
        // The webhook's request (ASP.NET Core's server span; its parent is the sender's, whose traceparent it continues)
        // holds the ingest.
        var request = Assert.Single(trace, a => a.Kind == ActivityKind.Server);
        Assert.Equal("/api/inbound/{channelId:long}", request.GetTagItem("http.route"));
        Assert.Equal(request.SpanId, ingest.ParentSpanId);
        Assert.Equal(messageId, ingest.GetTagItem("message.id"));
        Assert.Equal(channel.Id, ingest.GetTagItem("channel.id"));
        Assert.Equal(false, ingest.GetTagItem("message.duplicate"));
        // The batch commit in the same trace: the request's wait for its group commit, a child of the ingest.
        var commit = trace.SingleOrDefault(a => a.OperationName == "inbound.commit");
        Assert.True(commit is not null, $"no inbound.commit in the trace: {names}");
        Assert.Equal(ingest.SpanId, commit.ParentSpanId);
        // ... linked both ways with the batch's own span, which holds the transaction's statements and its size.
        var batchLink = Assert.Single(commit.Links);
        var batch = fixture.ExportedNow().Single(a => a.OperationName == "inbound.batch" && a.SpanId == batchLink.Context.SpanId);
        Assert.Contains(batch.Links, l => l.Context.SpanId == commit.SpanId);
        Assert.True((int)batch.GetTagItem("batch.size")! >= 1);
        // The batch began after the message was queued (its end may come a moment after the request's wait ends: the
        // writer releases its waiters, then closes its span).
        Assert.True(batch.StartTimeUtc >= commit.StartTimeUtc, "the batch starts after the request queued its message");
        // The push after the commit, a child of the ingest: webhook -> ingest -> commit, then push, in one trace.
        var push = trace.SingleOrDefault(a => a.OperationName == "inbound.push");
        Assert.True(push is not null, $"no inbound.push in the trace: {names}");
        Assert.Equal(ingest.SpanId, push.ParentSpanId);
        Assert.True(push.StartTimeUtc >= commit.StartTimeUtc + commit.Duration);
        Assert.Equal(stored["conversationId"]!.GetValue<long>(), push.GetTagItem("conversation.id"));
    }

    [Fact]
    public async Task A_hub_connections_socket_request_is_not_traced_but_its_negotiate_call_is()
    {
        using var client = new ActivitySource("ContactCenter.Tests.HubClient");
        var requests = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or "ContactCenter.Tests.HubClient",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = requests.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        // The client's requests carry this trace (traceparent), so its own requests are told apart from other tests'.
        ActivityTraceId trace;
        Microsoft.AspNetCore.SignalR.Client.HubConnection hub;
        using (var root = client.StartActivity("hub client")!)
        {
            trace = root.TraceId;
            hub = await fixture.ConnectHubAsync(fixture.AdminToken);
        }
        await hub.DisposeAsync();
        Activity[] mine = [];
        for (var i = 0; i < 100 && !mine.Any(a => a.GetTagItem("http.long_running") is true or "true"); i++)
        {
            await Task.Delay(100);
            mine = requests.Where(a => a.TraceId == trace && a.Source.Name == "Microsoft.AspNetCore").ToArray();
        }

        Assert.Contains(mine, a => a.Recorded && Equals(a.GetTagItem("url.path"), "/hubs/inbox/negotiate"));
        // The socket's request lasts as long as the connection (hours): its span says nothing, and its tags would be held
        // per connection. Not recorded, so no exporter sees it and the instrumentation adds no tags.
        var socket = Assert.Single(mine, a => a.GetTagItem("http.long_running") is true or "true");
        Assert.False(socket.Recorded);
        Assert.Null(socket.GetTagItem("url.path"));
    }

    [Fact]
    public async Task What_a_hub_connection_does_is_traced_in_short_spans_not_under_the_hours_long_socket_request()
    {
        using var client = new ActivitySource("ContactCenter.Tests.HubWork");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or "Npgsql" or "ContactCenter" or "ContactCenter.Tests.HubWork",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var hubSpans = new ConcurrentQueue<Activity>();
        using var hubListener = new ActivityListener // SignalR's spans as the app's own tracer provider samples them
        {
            ShouldListenTo = s => s.Name == "Microsoft.AspNetCore.SignalR.Server",
            ActivityStopped = hubSpans.Enqueue,
        };
        ActivitySource.AddActivityListener(hubListener);
        var exportedBefore = fixture.ExportedNow().Count;

        ActivityTraceId trace;
        Microsoft.AspNetCore.SignalR.Client.HubConnection hub;
        using (var root = client.StartActivity("hub client")!)
        {
            trace = root.TraceId;
            hub = await fixture.ConnectHubAsync(fixture.AdminToken); // connecting reads the session from the database
        }
        var connectionId = hub.ConnectionId;
        // A method call reads too (whether the caller may see the conversation; there is no such one).
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => Microsoft.AspNetCore.SignalR.Client.HubConnectionExtensions.InvokeAsync(hub, "Typing", -4242L));
        await hub.DisposeAsync();
        Activity? socket = null;
        for (var i = 0; i < 100 && socket is null; i++)
        {
            await Task.Delay(100);
            socket = stopped.FirstOrDefault(a => a.TraceId == trace && a.GetTagItem("http.long_running") is true or "true");
        }
        Assert.NotNull(socket);

        // None of the hub's work runs under the socket's request, which lasts as long as the connection: the connect is a
        // trace of its own (this connection's, by its id: other test classes connect meanwhile), with its reads under it.
        Assert.Empty(stopped.Where(a => a.ParentSpanId == socket.SpanId).Select(a => $"{a.Source.Name}: {a.DisplayName}"));
        var connect = Assert.Single(stopped, a => a.OperationName == "hub.connect" && Equals(a.GetTagItem("hub.connection.id"), connectionId));
        Assert.Contains(stopped, d => d.Source.Name == "Npgsql" && d.ParentSpanId == connect.SpanId);
        Assert.Equal(default, connect.ParentSpanId);
        Assert.NotEqual(trace, connect.TraceId);
        Assert.Contains(fixture.ExportedNow().Skip(exportedBefore), a => a.SpanId == connect.SpanId);
        // A method call is a trace of its own, exported by the app's tracer provider with its read (an operator sees it).
        // SignalR's span names no connection, so any such call of the same moment will do (other classes' too): what is
        // checked is that calls are root spans with their reads under them, and exported.
        var exported = fixture.ExportedNow().Skip(exportedBefore).Select(a => a.SpanId).ToHashSet();
        Assert.Contains(hubSpans, a => a.OperationName == "Microsoft.AspNetCore.SignalR.Server.InvocationIn" && a.ParentSpanId == default
            && a.Recorded && exported.Contains(a.SpanId) && a.StartTimeUtc >= connect.StartTimeUtc
            && stopped.Any(d => d.Source.Name == "Npgsql" && d.ParentSpanId == a.SpanId));
    }

    [Fact]
    public async Task An_outbound_calls_span_carries_its_url_without_a_token_in_the_path_or_the_query()
    {
        await fixture.ResetAsync();
        var calls = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = calls.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        // Telegram's Bot API has the token in the path; some providers put theirs in the query.
        var channel = await fixture.CreateApiChannelAsync("http://127.0.0.1:9/bot123456:AAH-secret_x/cb?token=s3cret-q");
        var conversation = (await fixture.IngestAsync(channel, "tok-1", "cust", "hello"))["conversationId"]!.GetValue<long>();
        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            (await http.PostAsync($"/api/conversations/{conversation}/messages",
                System.Net.Http.Json.JsonContent.Create(new { text = "to a callback that is not there" }))).EnsureSuccessStatusCode();
        }

        Activity? call = null;
        for (var i = 0; i < 150 && call is null; i++)
        {
            // This reply's call: other tests of the process call stand-ins on port 9 too (a Twilio set-up check).
            call = calls.FirstOrDefault(a => a.GetTagItem("server.port") is 9 or "9" && a.GetTagItem("url.full") is string url && url.Contains("/cb", StringComparison.Ordinal));
            await Task.Delay(100);
        }
        Assert.NotNull(call);
        Assert.Equal("http://127.0.0.1:9/bot[redacted]/cb?*", call.GetTagItem("url.full"));
        Assert.DoesNotContain(call.TagObjects, t => t.Value?.ToString()?.Contains("secret", StringComparison.Ordinal) == true);
    }

    /// <summary>The value of the first sample line of a metric carrying all these labels (0 when absent).</summary>
    private static double Sample(string exposition, string metric, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal) && (line.Length == metric.Length || line[metric.Length] is '{' or ' ')
                && labels.All(line.Contains))
            {
                // `name{labels} value [timestamp]`
                var rest = line[(line.IndexOf('}') is var close and >= 0 ? close + 1 : metric.Length)..].Trim();
                return double.Parse(rest.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}

/// <summary>Without `Telemetry:Prometheus` there is no scrape endpoint (and no web-app page in its place).</summary>
public sealed class TelemetryOffTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Metrics_are_not_served_unless_configured()
    {
        using var http = fixture.App.Http();
        var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
