using System.Text.Json;
using ContactCenter.Api.Inbound;

namespace ContactCenter.UnitTests;

/// <summary>Raw provider JSON loses its NUL escapes and nothing else: what remains is still valid JSON with the same text, less NULs.</summary>
public sealed class StorableTextTests
{
    [Theory]
    [InlineData("""{"t":"a\u0000b"}""", "ab")]                     // a NUL escape: dropped
    [InlineData("""{"t":"a\U0000b"}""", "ab")]                     // in either case
    [InlineData("""{"t":"\\u0000"}""", "\\u0000")]                // an escaped backslash, then the text u0000: kept (it broke the JSON)
    [InlineData("""{"t":"\\\u0000"}""", "\\")]                    // an escaped backslash, then a NUL escape
    [InlineData("""{"t":"\\\\u0000x"}""", "\\\\u0000x")]          // two escaped backslashes, then text
    public void Clean_json_drops_nul_escapes_only(string raw, string text)
    {
        var cleaned = StorableText.CleanJson(raw);

        Assert.Equal(text, JsonDocument.Parse(cleaned).RootElement.GetProperty("t").GetString());
    }
}
