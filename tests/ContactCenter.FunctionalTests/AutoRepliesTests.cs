using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Core;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>The out-of-hours reply and the acknowledgement, on a clock set to a holiday night or a working day.</summary>
public sealed class AutoRepliesTests(HoursFixture fixture) : IClassFixture<HoursFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        fixture.Clock.Set(null);
        await fixture.ResetAsync();
    }

    public Task DisposeAsync()
    {
        fixture.Clock.Set(null);
        return Task.CompletedTask;
    }

    private static readonly string[] Week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>Open around the clock, except on the given days (holidays), in UTC.</summary>
    private static JsonObject Hours(params DateOnly[] holidays)
    {
        var week = new JsonObject();
        foreach (var day in Week)
        {
            week[day] = new JsonArray(new JsonArray("00:00", "24:00"));
        }
        return new JsonObject
        {
            ["timeZone"] = "UTC",
            ["week"] = week,
            ["holidays"] = new JsonArray(holidays.Select(d => (JsonNode?)d.ToString("yyyy-MM-dd")).ToArray()),
        };
    }

    private async Task<AppFixture.ApiChannel> ChannelAsync(JsonObject hours, bool outOfHours = true, bool acknowledgement = false)
    {
        var secret = "hours-secret-" + Guid.NewGuid().ToString("N");
        var channel = await fixture.CreateChannelAsync("api", "Hours " + Guid.NewGuid().ToString("N")[..6], new JsonObject
        {
            ["secret"] = secret,
            ["businessHours"] = hours,
            ["outOfHoursReply"] = new JsonObject { ["enabled"] = outOfHours, ["text"] = "We are closed now; we answer from 9:00." },
            ["acknowledgement"] = new JsonObject { ["enabled"] = acknowledgement, ["text"] = "Thanks, we got your message." },
        });
        return new AppFixture.ApiChannel(channel["id"]!.GetValue<long>(), secret);
    }

    private async Task<List<(string Kind, string Text, string Status)>> AutomatedAsync(long conversationId)
    {
        await using var db = fixture.Db();
        return (await db.QueryAsync<(string, string, string)>("""
            select metadata->>'automated', text, status from messages
            where conversation_id = @conversationId and direction = 'outbound' and sender_type = 'system' order by id
            """, new { conversationId })).ToList();
    }

    private static DateOnly Today(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static DateTimeOffset Night() => new(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10), new TimeOnly(3, 0), TimeSpan.Zero);

    [Fact]
    public async Task A_message_on_a_holiday_night_gets_one_out_of_hours_reply_per_closed_period_even_when_messages_race()
    {
        // 03:00 on a holiday ten days ahead; the day after is a working day, the one after that a holiday again. The clock
        // moves only after the admin's calls (tokens are checked against the real time); ingesting is signed, not timed.
        var night = Night();
        var channel = await ChannelAsync(Hours(Today(night), Today(night).AddDays(2)));
        fixture.Clock.Set(night);

        var first = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => fixture.IngestAsync(channel, $"night-{i}", "owl", $"hello {i}")));
        var conversation = first[0]["conversationId"]!.GetValue<long>();
        fixture.Clock.Advance(TimeSpan.FromMinutes(20));
        await fixture.IngestAsync(channel, "night-later", "owl", "anyone there?");

        var replies = await AutomatedAsync(conversation);
        var reply = Assert.Single(replies);
        Assert.Equal("outOfHours", reply.Kind);
        Assert.Equal("We are closed now; we answer from 9:00.", reply.Text);
        await using (var db = fixture.Db())
        {
            // Through the outbox like any reply (the api channel's sender then records its outcome).
            Assert.Equal(1, await db.ExecuteScalarAsync<long>("""
                select count(*) from outbox o join messages m on m.id = o.message_id
                where m.conversation_id = @conversation and m.sender_type = 'system' and o.kind = 'send'
                """, new { conversation }));
        }

        fixture.Clock.Set(new DateTimeOffset(Today(night).AddDays(2), new TimeOnly(3, 0), TimeSpan.Zero));
        await fixture.IngestAsync(channel, "second-night", "owl", "hello again");

        Assert.Equal(2, (await AutomatedAsync(conversation)).Count);
    }

    [Fact]
    public async Task No_out_of_hours_reply_during_business_hours()
    {
        var channel = await ChannelAsync(Hours());

        var conversation = (await fixture.IngestAsync(channel, "day-1", "lark", "hello"))["conversationId"]!.GetValue<long>();

        Assert.Empty(await AutomatedAsync(conversation));
    }

    [Fact]
    public async Task An_auto_reply_email_or_one_asking_for_no_auto_response_is_never_answered()
    {
        var night = Night();
        var channel = await ChannelAsync(Hours(Today(night)));
        fixture.Clock.Set(night);
        var pipeline = fixture.App.Services.GetRequiredService<IInboundPipeline>();
        InboundMessage Mail(string id, IReadOnlyDictionary<string, string> metadata, bool automated) =>
            new(channel.Id, id, null, new SenderIdentity("robot@example.com", "Robot", "robot@example.com"), "I am out of office", null, [], null, null, "{}")
            {
                Metadata = metadata,
                Automated = automated,
            };

        // What the email parser makes of Auto-Submitted: auto-replied, and of Outlook's X-Auto-Response-Suppress: All.
        var auto = await pipeline.IngestAsync(Mail("<ooo-1@example.com>", new Dictionary<string, string>
        {
            ["autoReply"] = "true", ["autoReplyReason"] = "Auto-Submitted: auto-replied",
        }, automated: true), CancellationToken.None);
        await pipeline.IngestAsync(Mail("<ooo-2@example.com>", new Dictionary<string, string> { ["autoResponseSuppress"] = "All" }, automated: false), CancellationToken.None);

        Assert.Empty(await AutomatedAsync(auto.ConversationId));
    }

    [Fact]
    public void The_parser_marks_an_email_that_asks_for_no_auto_response()
    {
        var raw = System.Text.Encoding.ASCII.GetBytes(
            "From: Ann <ann@example.com>\r\nTo: shop@example.com\r\nSubject: Out of office\r\nMessage-ID: <oof-1@example.com>\r\n"
            + "X-Auto-Response-Suppress: All\r\nContent-Type: text/plain\r\n\r\nI am away.\r\n");

        var verdict = ContactCenter.Connectors.Email.EmailParser.Parse(raw,
            new ContactCenter.Connectors.Email.EmailParser.Context(1, "shop@example.com", 1, 1, new ContactCenter.Connectors.Email.EmailOptions()));

        var stored = Assert.IsType<ContactCenter.Connectors.Email.EmailVerdict.Store>(verdict);
        Assert.Equal("All", stored.Message.Metadata!["autoResponseSuppress"]);
    }

    [Fact]
    public async Task The_acknowledgement_answers_the_first_message_of_a_new_or_reopened_conversation_only()
    {
        var channel = await ChannelAsync(Hours(), outOfHours: false, acknowledgement: true);
        var manager = await fixture.CreateUserAsync("acker", "manager", channel.Id);

        var conversation = (await fixture.IngestAsync(channel, "ack-1", "jay", "hello"))["conversationId"]!.GetValue<long>();
        fixture.Clock.Advance(TimeSpan.FromSeconds(5));
        await fixture.IngestAsync(channel, "ack-2", "jay", "and another thing");
        Assert.Equal(["acknowledgement"], (await AutomatedAsync(conversation)).Select(r => r.Kind));

        using var http = fixture.App.Http(manager.Token);
        (await http.PostAsJsonAsync($"/api/conversations/{conversation}/status", new { status = "resolved" })).EnsureSuccessStatusCode();
        fixture.Clock.Advance(TimeSpan.FromSeconds(5));
        await fixture.IngestAsync(channel, "ack-3", "jay", "one more question");

        Assert.Equal(["acknowledgement", "acknowledgement"], (await AutomatedAsync(conversation)).Select(r => r.Kind));
    }

    [Theory]
    [InlineData("""{"enabled": true}""")]
    [InlineData("""{"enabled": "yes", "text": "x"}""")]
    [InlineData("""[1]""")]
    public async Task A_bad_auto_reply_setting_is_a_400_that_creates_nothing(string value)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var before = await fixture.CountAsync("channels");

        var response = await admin.PostAsJsonAsync("/api/channels", new
        {
            kind = "api", name = "bad", settings = new JsonObject { ["secret"] = "bad-secret-0123456789abcdef", ["acknowledgement"] = JsonNode.Parse(value) },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await fixture.CountAsync("channels"));
    }
}
