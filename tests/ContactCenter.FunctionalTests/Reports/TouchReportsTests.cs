using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests.Reports;

/// <summary>Speed to lead and manager efficiency (issue 17) on hand-built leads, deals, messages, calls and activities.</summary>
public sealed class TouchReportsTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly ReportData data = new(fixture);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Period(DateTime from, DateTime to) =>
        $"from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}";

    [Fact]
    public async Task Speed_to_lead_measures_the_first_human_touch_per_manager_source_and_channel_and_lists_the_untouched()
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        var bob = await fixture.CreateUserAsync("bob", "manager");
        var channel = await fixture.CreateApiChannelAsync(name: "Site");
        var t0 = DateTime.UtcNow.AddHours(-3);
        var (c1, c2, c3, c4, c5) = (await data.ContactAsync("C1"), await data.ContactAsync("C2"), await data.ContactAsync("C3"), await data.ContactAsync("C4"), await data.ContactAsync("C5"));
        // L1 (Ann, form): a staff reply 2 minutes after creation; an earlier reply, before the lead existed, does not count.
        var l1 = await data.LeadAsync("L1", c1, ann.Id, "form", t0);
        var conversation1 = await data.ConversationAsync(channel.Id, c1, leadId: l1);
        await data.MessageAsync(conversation1, "outbound", "user", ann.Id, t0.AddMinutes(-10));
        await data.MessageAsync(conversation1, "outbound", "user", ann.Id, t0.AddMinutes(2));
        // L2 (Ann, form): a private note after 1 minute is no touch; the activity completed after 10 minutes is.
        var l2 = await data.LeadAsync("L2", c2, ann.Id, "form", t0);
        var conversation2 = await data.ConversationAsync(channel.Id, c2);
        await data.MessageAsync(conversation2, "note", "user", ann.Id, t0.AddMinutes(1));
        await data.ActivityAsync("lead", l2, ann.Id, t0.AddHours(1), t0.AddMinutes(10), ann.Id);
        // D1 (Bob, call): an inbound call answered 4 minutes after creation.
        var d1 = await data.DealAsync("D1", 100, bob.Id, "call", t0, contactId: c3);
        var conversation3 = await data.ConversationAsync(channel.Id, c3, dealId: d1);
        await data.MessageAsync(conversation3, "inbound", "contact", null, t0.AddMinutes(4), """{"kind": "call", "callMissed": "false"}""");
        // D2 (Bob, form): the customer wrote, nobody answered: untouched.
        var d2 = await data.DealAsync("D2", 100, bob.Id, "form", t0.AddHours(1), contactId: c4);
        var conversation4 = await data.ConversationAsync(channel.Id, c4);
        await data.MessageAsync(conversation4, "inbound", "contact", null, t0.AddMinutes(65));
        // L3 (nobody's, no source): untouched but junk, so counted and not listed. D3 came from L1: its lead's touch is its own.
        await data.LeadAsync("L3", c5, null, null, t0.AddHours(2), status: "junk");
        await data.DealAsync("D3", 100, ann.Id, "form", t0.AddHours(2), contactId: c1, leadId: l1);
        using var http = fixture.App.Http(fixture.AdminToken);
        var period = Period(t0.AddDays(-1), DateTime.UtcNow.AddHours(1));

        var byManager = await (await http.GetAsync($"/api/reports/speed-to-lead?{period}&groupBy=manager")).OkJsonAsync();

        // Touches after 2, 10 and 4 minutes of five subjects: median 4, p90 4 + 0.8 * (10 - 4), two of five within 5 minutes.
        Assert.Equal(("All", 5L, 3L, (double?)4.0, (double?)8.8, (double?)0.4), Row(byManager["overall"]!));
        Assert.Equal(
        [
            ("ann", 2L, 2L, 6.0, 9.2, 0.5),
            ("bob", 2L, 1L, 4.0, 4.0, 0.5),
            ("Unassigned", 1L, 0L, null, null, 0.0),
        ], Rows(byManager));
        var untouched = Assert.Single(byManager["untouched"]!.AsArray())!;
        Assert.Equal(("deal", d2, "D2", bob.Id), (untouched["kind"]!.GetValue<string>(), untouched.Id(), untouched["title"]!.GetValue<string>(), untouched.Id("assigneeId")));

        var bySource = await (await http.GetAsync($"/api/reports/speed-to-lead?{period}&groupBy=source")).OkJsonAsync();
        Assert.Equal(
        [
            // Biggest first, then by label in ordinal order ("No source" before "call").
            ("form", 3L, 2L, 6.0, 9.2, 0.333333),
            ("No source", 1L, 0L, null, null, 0.0),
            ("call", 1L, 1L, 4.0, 4.0, 1.0),
        ], Rows(bySource));

        var byChannel = await (await http.GetAsync($"/api/reports/speed-to-lead?{period}&groupBy=channel")).OkJsonAsync();
        Assert.Equal(
        [
            ("No conversation", 3L, 1L, 10.0, 10.0, 0.0),
            ("Site", 2L, 2L, 3.0, 3.8, 1.0),
        ], Rows(byChannel));

        // A reply to D2's customer touches it: the supervisor's next read (the page re-reads on message and deal events) drops it.
        (await http.PostAsJsonAsync($"/api/conversations/{conversation4}/messages", new { text = "Hello!", clientMessageId = "stl-1" })).EnsureSuccessStatusCode();
        var after = await (await http.GetAsync($"/api/reports/speed-to-lead?{Period(t0.AddDays(-1), DateTime.UtcNow.AddHours(1))}&groupBy=manager")).OkJsonAsync();
        Assert.Empty(after["untouched"]!.AsArray());
        Assert.Equal(4L, after["overall"]!["touched"]!.GetValue<long>());

        var csv = (await (await http.GetAsync($"/api/reports/speed-to-lead?{period}&groupBy=manager&format=csv")).Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal("key,label,count,touched,medianMinutes,p90Minutes,withinFiveMinutesShare", csv[0]);
        Assert.Equal($"{ann.Id},ann,2,2,6,9.2,0.5", csv[1]);
        // Now four touches (2, 4, 10 and D2's of about two hours): the median is halfway between 4 and 10.
        Assert.StartsWith(",All,5,4,7,", csv[4]);
    }

    [Fact]
    public async Task Efficiency_combines_first_response_times_activities_done_and_overdue_and_deals_won()
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        var bob = await fixture.CreateUserAsync("bob", "manager");
        var channel = await fixture.CreateApiChannelAsync();
        var now = DateTime.UtcNow;
        var contact = await data.ContactAsync("C");
        var conversation = await data.ConversationAsync(channel.Id, contact);
        // Ann's first responses of 60, 120 and 300 s: median 120, p90 120 + 0.8 * 180; one of 5 s before the period.
        await data.ResponseAsync(conversation, ann.Id, now.AddHours(-5), 60);
        await data.ResponseAsync(conversation, ann.Id, now.AddHours(-4), 120);
        await data.ResponseAsync(conversation, ann.Id, now.AddHours(-3), 300);
        await data.ResponseAsync(conversation, ann.Id, now.AddDays(-20), 5);
        var deal = await data.DealAsync("Won", 300, ann.Id, null, now.AddDays(-2), now.AddHours(-1), "won");
        await data.DealAsync("Won too", 200, ann.Id, null, now.AddDays(-2), now.AddHours(-2), "won");
        await data.DealAsync("Bob lost", 900, bob.Id, null, now.AddDays(-2), now.AddHours(-2), "lost");
        // Ann completed two activities in the period (one of them Bob's) and one before; one of hers is overdue, one due later.
        await data.ActivityAsync("deal", deal, ann.Id, now, now.AddHours(-1), ann.Id);
        await data.ActivityAsync("deal", deal, bob.Id, now, now.AddHours(-2), ann.Id);
        await data.ActivityAsync("deal", deal, ann.Id, now, now.AddDays(-20), ann.Id);
        await data.ActivityAsync("deal", deal, ann.Id, now.AddHours(-1));
        await data.ActivityAsync("deal", deal, ann.Id, now.AddHours(2));
        await data.ActivityAsync("deal", deal, bob.Id, now.AddHours(-3));
        using var http = fixture.App.Http(fixture.AdminToken);

        var report = await (await http.GetAsync($"/api/reports/efficiency?{Period(now.AddDays(-10), now.AddDays(1))}")).OkJsonAsync();

        var rows = report["rows"]!.AsArray().ToDictionary(r => r!.Id("userId"), r => r!.AsObject());
        Assert.Equal([ann.Id, bob.Id], rows.Keys.Order());
        var a = rows[ann.Id];
        Assert.Equal((3L, 120.0, 264.0, 2L, 1L, 2L, 500m), (a["firstResponses"]!.GetValue<long>(), a["firstResponseMedianSeconds"]!.GetValue<double>(),
            Math.Round(a["firstResponseP90Seconds"]!.GetValue<double>(), 6), a["activitiesDone"]!.GetValue<long>(), a["activitiesOverdue"]!.GetValue<long>(),
            a["dealsWon"]!.GetValue<long>(), a["dealsWonSum"]!.GetValue<decimal>()));
        var b = rows[bob.Id];
        Assert.Equal((0L, 0L, 1L, 0L), (b["firstResponses"]!.GetValue<long>(), b["activitiesDone"]!.GetValue<long>(), b["activitiesOverdue"]!.GetValue<long>(),
            b["dealsWon"]!.GetValue<long>()));
        Assert.Null(b["firstResponseMedianSeconds"]);

        var csv = (await (await http.GetAsync($"/api/reports/efficiency?{Period(now.AddDays(-10), now.AddDays(1))}&format=csv")).Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal($"{ann.Id},ann,3,120,264,2,1,2,500", csv[1]);
    }

    private static (string Label, long Count, long Touched, double? Median, double? P90, double? Within) Row(JsonNode r) =>
        (r["label"]!.GetValue<string>(), r["count"]!.GetValue<long>(), r["touched"]!.GetValue<long>(), Minutes(r["medianMinutes"]), Minutes(r["p90Minutes"]),
            r["withinFiveMinutesShare"]?.GetValue<double>() is { } w ? Math.Round(w, 6) : null);

    private static List<(string Label, long Count, long Touched, double? Median, double? P90, double? Within)> Rows(JsonObject report) =>
        report["rows"]!.AsArray().Select(r => Row(r!)).ToList();

    // Times are stored to the microsecond and reported to 1/100 minute: whole and tenth minutes compare exactly after rounding.
    private static double? Minutes(JsonNode? node) => node?.GetValue<double>() is { } m ? Math.Round(m, 1) : null;
}
