using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Issue 18: a sender's timestamp is stored in UTC whatever its offset, and one no real message can have (year 1, year
/// 9999) is replaced by the receive time with the original kept in metadata, so queues and SLAs never see absurd waits.
/// </summary>
public sealed class InboundTimestampTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Body(string externalId, string sentAt) =>
        $$"""{"externalId":"{{externalId}}","contact":{"externalId":"c-{{externalId}}"},"text":"hi","sentAt":"{{sentAt}}"}""";

    [Fact]
    public async Task A_sentAt_with_an_offset_is_stored_as_its_UTC_instant()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var moscow = new DateTimeOffset(DateTime.UtcNow.AddHours(-5).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(3));

        var response = await fixture.PostInboundAsync(channel, Body("tz-1", moscow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var db = fixture.Db();
        var sentAt = await db.ExecuteScalarAsync<DateTime>("select sent_at from messages where external_id = 'tz-1'");
        Assert.Equal(moscow.UtcDateTime, DateTime.SpecifyKind(sentAt, DateTimeKind.Utc));
        Assert.Null(await db.ExecuteScalarAsync<string?>("select metadata->>'sentAtOriginal' from messages where external_id = 'tz-1'"));

        // The messages API says when the customer wrote it (five hours before it arrived here), beside when it arrived.
        var conversationId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["conversationId"]!.GetValue<long>();
        using var admin = fixture.App.Http(fixture.AdminToken);
        var message = (await (await admin.GetAsync($"/api/conversations/{conversationId}/messages")).OkJsonAsync())["items"]![0]!;
        Assert.Equal(moscow.UtcDateTime, message["sentAt"]!.GetValue<DateTimeOffset>().UtcDateTime);
        Assert.True(message["createdAt"]!.GetValue<DateTimeOffset>() > message["sentAt"]!.GetValue<DateTimeOffset>().AddHours(4));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000+00:00")]
    [InlineData("9999-12-31T23:59:59+03:00", "9999-12-31T23:59:59.000+03:00")]
    [InlineData("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000+00:00")]
    [InlineData("2099-06-01T12:00:00-05:00", "2099-06-01T12:00:00.000-05:00")]
    public async Task An_absurd_sentAt_is_replaced_by_the_receive_time_and_kept_in_metadata(string sentAt, string original)
    {
        var channel = await fixture.CreateApiChannelAsync();
        var before = DateTime.UtcNow.AddSeconds(-5);

        var response = await fixture.PostInboundAsync(channel, Body("absurd", sentAt));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var db = fixture.Db();
        var stored = await db.QuerySingleAsync<(DateTime SentAt, string? Original, DateTime? WaitingSince)>("""
            select m.sent_at, m.metadata->>'sentAtOriginal', c.waiting_since from messages m join conversations c on c.id = m.conversation_id
            where m.external_id = 'absurd'
            """);
        Assert.InRange(stored.SentAt, before, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(original, stored.Original);
        Assert.InRange(stored.WaitingSince!.Value, before, DateTime.UtcNow.AddSeconds(5));

        // The supervisor's queue shows a wait of seconds, not of millennia.
        using var http = fixture.App.Http(fixture.AdminToken);
        var queue = await http.GetFromJsonAsync<JsonObject>("/api/stats/queue");
        Assert.InRange(queue!["longestWaitSeconds"]!.GetValue<long>(), 0, 60);
    }
}
