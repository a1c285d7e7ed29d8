using System.Net;
using System.Text;
using ContactCenter.Connectors.Api;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// What an outside review sent the api channel (session 28): a body of another content type (stored as JSON anyway), a
/// signed body with a UTF-8 byte order mark (refused as not JSON), names with terminal escapes and a right-to-left override.
/// </summary>
public sealed class ApiInboundOddInputTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> PostAsync(AppFixture.ApiChannel channel, byte[] bytes, string? contentType)
    {
        using var http = fixture.App.Http();
        using var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inbound/{channel.Id}") { Content = content };
        request.Headers.TryAddWithoutValidation(ApiSignature.Header, ApiSignature.Compute(channel.Secret, bytes));
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Another_content_type_is_415_a_byte_order_mark_is_read_past_and_names_are_one_line_of_text()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var plain = Encoding.UTF8.GetBytes(AppFixture.InboundBody("ct-1", "c-1", "as text/plain"));

        var refused = await PostAsync(channel, plain, "text/plain");
        var xml = await PostAsync(channel, plain, "application/xml");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));

        byte[] bom = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(AppFixture.InboundBody("bom-1", "c-bom", "from a Windows tool", "Bom Sender"))];
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(channel, bom, "application/json; charset=utf-8")).StatusCode);

        var hostile = AppFixture.InboundBody("nm-1", "c-nm", "hello", "Bob\u001b[31mRED\u0007\r\nInjected: yes \u202Egnp.exe");
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.PostInboundAsync(channel, hostile)).StatusCode);

        await using var db = fixture.Db();
        Assert.Equal(["Bom Sender", "Bob [31mRED Injected: yes gnp.exe"], await db.QueryAsync<string>("select name from contacts order by id"));
        Assert.Equal(2, await fixture.CountAsync("messages"));
    }
}
