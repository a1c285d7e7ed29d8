using System.Text.Json;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace ContactCenter.UnitTests;

public sealed class CursorAndTimeTests
{
    [Fact]
    public void A_conversation_cursor_round_trips_to_the_tick()
    {
        var at = new DateTimeOffset(2026, 11, 26, 18, 1, 12, 345, TimeSpan.Zero).AddTicks(6789);

        var (decodedAt, id) = ConversationQueries.DecodeCursor(ConversationQueries.EncodeCursor(at, 42));

        Assert.Equal(at, decodedAt);
        Assert.Equal(42, id);
    }

    [Theory]
    [InlineData("@@@")]
    [InlineData("bm90LWEtY3Vyc29y")] // "not-a-cursor"
    public void A_broken_cursor_is_a_bad_request(string cursor)
    {
        var ex = Assert.Throws<BadHttpRequestException>(() => ConversationQueries.DecodeCursor(cursor));
        Assert.Equal(400, ex.StatusCode);
    }

    [Fact]
    public void Timestamps_are_written_as_utc_with_a_z()
    {
        var options = new JsonSerializerOptions();
        JsonDefaults.Apply(options);

        var json = JsonSerializer.Serialize(new { at = new DateTimeOffset(2026, 11, 26, 21, 1, 12, 345, TimeSpan.FromHours(3)) }, options);

        Assert.Equal("{\"at\":\"2026-11-26T18:01:12.345Z\"}", json);
    }

    [Fact]
    public void Timestamps_written_digit_by_digit_equal_the_format_string_for_any_instant_and_offset()
    {
        var options = new JsonSerializerOptions();
        JsonDefaults.Apply(options);
        var random = new Random(38);
        var edges = new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(9_999) };
        var samples = edges.Concat(Enumerable.Range(0, 10_000).Select(_ =>
        {
            var day = TimeSpan.TicksPerDay;
            var utc = new DateTimeOffset(random.NextInt64(day, DateTime.MaxValue.Ticks - day), TimeSpan.Zero);
            return utc.ToOffset(TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1)));
        }));

        foreach (var at in samples)
        {
            var expected = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"\"{expected}\"", JsonSerializer.Serialize(at, options));
        }
    }

    [Fact]
    public void Unreachable_storage_is_503_and_a_bad_body_is_the_clients_fault()
    {
        Assert.Equal(503, ErrorHandling.Classify(new Npgsql.NpgsqlException("down", new System.Net.Sockets.SocketException())).Status);
        Assert.Equal(413, ErrorHandling.Classify(new BadHttpRequestException("big", 413)).Status);
        Assert.Equal(400, ErrorHandling.Classify(new BadHttpRequestException("bad", new JsonException())).Status);
        Assert.Equal(500, ErrorHandling.Classify(new InvalidCastException()).Status);
    }
}
