using ContactCenter.Core;

namespace ContactCenter.UnitTests;

public sealed class SecretUrlsTests
{
    [Theory]
    [InlineData("https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe", "https://api.telegram.org/bot[redacted]/getMe")]
    [InlineData("https://api.telegram.org/file/bot123456789:AAH-dq_T/photos/file_0.jpg", "https://api.telegram.org/file/bot[redacted]/photos/file_0.jpg")]
    [InlineData("http://127.0.0.1:9000/bot1:x", "http://127.0.0.1:9000/bot[redacted]")]
    [InlineData("https://graph.facebook.com/v21.0/123/messages?access_token=EAAG", "https://graph.facebook.com/v21.0/123/messages?*")]
    [InlineData("https://example.com/robots/botany", "https://example.com/robots/botany")]
    public void A_token_in_the_path_or_query_never_reaches_the_written_url(string url, string written) =>
        Assert.Equal(written, SecretUrls.Redact(new Uri(url)));
}
