using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Connectors.Sms.Tests;

[Collection(SmsCollection.Name)]
public sealed class SmsSegmentsApiTests(SmsFixture fixture)
{
    [Theory]
    [InlineData("Your table for 4 is booked at 19:30. Reply to change it.", "GSM-7", 56, 1)]
    [InlineData("Ваш столик на 4 персоны забронирован на 19:30. Ответьте, чтобы изменить бронь.", "UCS-2", 78, 2)]
    [InlineData("See you soon 🎉", "UCS-2", 14, 1)]
    public async Task The_composer_learns_encoding_characters_and_segments(string text, string encoding, int characters, int segments)
    {
        using var http = fixture.App.Http(fixture.AdminToken);

        var count = (await http.GetFromJsonAsync<JsonObject>($"/api/sms/segments?text={Uri.EscapeDataString(text)}"))!;

        Assert.Equal(encoding, count["encoding"]!.GetValue<string>());
        Assert.Equal(characters, count["characters"]!.GetValue<int>());
        Assert.Equal(segments, count["segments"]!.GetValue<int>());
    }

    [Fact]
    public async Task Segments_need_a_bearer_token_and_a_text()
    {
        using var anonymous = fixture.App.Http();
        using var http = fixture.App.Http(fixture.AdminToken);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sms/segments?text=hi")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/sms/segments")).StatusCode);
        var empty = (await http.GetFromJsonAsync<JsonObject>("/api/sms/segments?text="))!;
        Assert.Equal(0, empty["segments"]!.GetValue<int>());
    }
}
