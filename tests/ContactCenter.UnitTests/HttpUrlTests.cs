using ContactCenter.Core;

namespace ContactCenter.UnitTests;

public sealed class HttpUrlTests
{
    [Theory]
    [InlineData("https://api.telegram.org", true)]
    [InlineData("http://127.0.0.1:9000/hook?x=1", true)]
    [InlineData("https://example.com/thanks#top", true)]
    [InlineData("https://user:pw@api.example.com", false)]
    [InlineData("https://user@api.example.com", false)]
    [InlineData(" https://api.telegram.org ", false)]
    [InlineData("ftp://example.com", false)]
    [InlineData("/relative", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_web_address_setting_is_an_absolute_http_url_without_credentials_or_spaces(string? url, bool valid) =>
        Assert.Equal(valid, HttpUrl.IsValid(url));
}
