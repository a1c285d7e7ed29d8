using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests.Reports;

/// <summary>
/// Speed to lead reads each lead's and deal's first touch from a column the database keeps (migration 1122). These walk
/// what can change a first touch after the fact — a merge bringing the other contact's replies, a call answered later,
/// an activity reopened, a touching message removed — and check the column against a fresh per-subject read each time.
/// </summary>
public sealed class FirstTouchTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly ReportData data = new(fixture);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_merge_brings_the_other_contacts_reply_to_a_deal_and_a_call_answered_later_touches_its_lead()
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        var channel = await fixture.CreateApiChannelAsync(name: "Site");
        var t0 = DateTime.UtcNow.AddHours(-3);
        var (keep, other, caller) = (await data.ContactAsync("Keep"), await data.ContactAsync("Other"), await data.ContactAsync("Caller"));
        var deal = await data.DealAsync("D", 100, ann.Id, "form", t0, contactId: keep);
        var otherConversation = await data.ConversationAsync(channel.Id, other);
        await data.MessageAsync(otherConversation, "outbound", "user", ann.Id, t0.AddMinutes(3));
        // The caller's lead: an inbound call that rang out is no touch until the call's outcome says a manager answered.
        var lead = await data.LeadAsync("L", caller, ann.Id, "call", t0);
        var callConversation = await data.ConversationAsync(channel.Id, caller, leadId: lead);
        await data.MessageAsync(callConversation, "inbound", "contact", null, t0.AddMinutes(7), """{"kind": "call"}""");
        using var admin = fixture.App.Http(fixture.AdminToken);

        var before = await ReadAsync(admin, t0);
        Assert.Equal(0L, before["overall"]!["touched"]!.GetValue<long>());
        Assert.Equal(["D", "L"], before["untouched"]!.AsArray().Select(u => u!["title"]!.GetValue<string>()).Order().ToArray());

        (await admin.PostAsJsonAsync($"/api/contacts/{keep}/merge", new { otherContactId = other })).EnsureSuccessStatusCode();
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("""update messages set metadata = metadata || '{"callMissed": "false"}' where conversation_id = @callConversation""",
                new { callConversation });
        }

        var after = await ReadAsync(admin, t0);
        Assert.Empty(after["untouched"]!.AsArray());
        Assert.Equal(2L, after["overall"]!["touched"]!.GetValue<long>());
        // The deal's touch is the merged contact's reply after 3 minutes, the lead's the call after 7: the median is 5.
        Assert.Equal(5.0, Math.Round(after["overall"]!["medianMinutes"]!.GetValue<double>(), 1));
        Assert.Equal(0, await DriftAsync());
        await using (var db = fixture.Db())
        {
            Assert.Equal(t0.AddMinutes(3), await db.ExecuteScalarAsync<DateTime>("select first_touch_at from deals where id = @deal", new { deal }), TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public async Task Reopening_the_touching_activity_or_removing_the_touching_reply_leaves_the_subject_untouched_again()
    {
        var ann = await fixture.CreateUserAsync("ann", "manager");
        var channel = await fixture.CreateApiChannelAsync(name: "Site");
        var t0 = DateTime.UtcNow.AddHours(-3);
        var contact = await data.ContactAsync("C");
        var lead = await data.LeadAsync("L", contact, ann.Id, "form", t0);
        var activity = await data.ActivityAsync("lead", lead, ann.Id, t0.AddHours(1), t0.AddMinutes(10), ann.Id);
        var conversation = await data.ConversationAsync(channel.Id, contact, leadId: lead);
        await data.MessageAsync(conversation, "outbound", "user", ann.Id, t0.AddMinutes(20));
        using var admin = fixture.App.Http(fixture.AdminToken);
        Assert.Equal(10.0, Math.Round((await ReadAsync(admin, t0))["overall"]!["medianMinutes"]!.GetValue<double>(), 1));

        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update activities set completed_at = null, completed_by = null where id = @activity", new { activity });
        }
        Assert.Equal(20.0, Math.Round((await ReadAsync(admin, t0))["overall"]!["medianMinutes"]!.GetValue<double>(), 1));
        Assert.Equal(0, await DriftAsync());

        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("delete from messages where conversation_id = @conversation", new { conversation });
        }
        var untouched = await ReadAsync(admin, t0);
        Assert.Equal(0L, untouched["overall"]!["touched"]!.GetValue<long>());
        Assert.Equal("L", Assert.Single(untouched["untouched"]!.AsArray())!["title"]!.GetValue<string>());
        Assert.Equal(0, await DriftAsync());
    }

    private static async Task<JsonObject> ReadAsync(HttpClient http, DateTime t0)
    {
        static string At(DateTime t) => Uri.EscapeDataString(t.ToString("O", CultureInfo.InvariantCulture));
        return await (await http.GetAsync($"/api/reports/speed-to-lead?from={At(t0.AddDays(-1))}&to={At(DateTime.UtcNow.AddHours(1))}&groupBy=manager")).OkJsonAsync();
    }

    /// <summary>Leads and deals whose kept first touch differs from a fresh read of their contact's messages and activities.</summary>
    private async Task<int> DriftAsync()
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<int>("""
            select (select count(*) from leads where first_touch_at is distinct from first_touch_of('lead', id, contact_id, created_at))
                 + (select count(*) from deals where first_touch_at is distinct from first_touch_of('deal', id, contact_id, created_at))
            """);
    }
}
