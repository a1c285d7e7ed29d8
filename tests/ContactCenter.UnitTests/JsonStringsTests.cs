using System.Text;
using System.Text.Json;
using ContactCenter.Core.Net;

namespace ContactCenter.UnitTests;

/// <summary>Lone surrogate escapes made readable before a webhook's document is read (a 500 in the VK, WhatsApp and form routes).</summary>
public sealed class JsonStringsTests
{
    [Theory]
    [InlineData("""{"t":"a\ud800b"}""", "a\uFFFDb")]
    [InlineData("""{"t":"a\uDC00"}""", "a\uFFFD")]
    [InlineData("""{"t":"\ud83d\ude00 ok"}""", "😀 ok")]
    [InlineData("""{"t":"\ud83d\ud83d\ude00"}""", "\uFFFD😀")]
    [InlineData("""{"t":"\ude00\ud83d"}""", "\uFFFD\uFFFD")]
    [InlineData("""{"t":"\\ud800 is text"}""", "\\ud800 is text")]
    [InlineData("""{"t":"\\\ud800"}""", "\\\uFFFD")]
    [InlineData("""{"t":"end \ud83d"}""", "end \uFFFD")]
    public void Each_lone_half_becomes_a_replacement_character_and_nothing_else_changes(string json, string expected)
    {
        var repaired = JsonStrings.RepairLoneSurrogates(Encoding.UTF8.GetBytes(json));

        using var document = JsonDocument.Parse(repaired);
        Assert.Equal(expected, document.RootElement.GetProperty("t").GetString());
    }

    [Fact]
    public void A_text_without_lone_halves_is_returned_as_it_is()
    {
        var json = Encoding.UTF8.GetBytes("""{"t":"Привет \ud83d\ude00 \\u0041 \n"}""");

        Assert.Same(json, JsonStrings.RepairLoneSurrogates(json));
    }

    [Fact]
    public void A_lone_half_in_a_member_name_is_repaired_too_and_a_cut_escape_is_left_to_the_parser()
    {
        using var document = JsonDocument.Parse(JsonStrings.RepairLoneSurrogates(Encoding.UTF8.GetBytes("""{"\ud800":1}""")));
        Assert.Equal("\uFFFD", document.RootElement.EnumerateObject().Single().Name);

        var cut = Encoding.UTF8.GetBytes("""{"t":"\ud8""");
        Assert.Same(cut, JsonStrings.RepairLoneSurrogates(cut));
    }
}
