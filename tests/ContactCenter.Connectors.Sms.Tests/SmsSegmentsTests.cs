namespace ContactCenter.Connectors.Sms.Tests;

public sealed class SmsSegmentsTests
{
    [Theory]
    [InlineData("", 0, 0)]
    [InlineData("Hello, your order #1234 is ready for pickup.", 44, 1)]
    public void Latin_text_is_gsm7(string text, int characters, int segments)
    {
        var count = SmsSegments.Of(text);
        Assert.Equal("GSM-7", count.Encoding);
        Assert.Equal(characters, count.Characters);
        Assert.Equal(segments, count.Segments);
    }

    [Fact]
    public void Gsm7_fits_160_in_one_segment_then_153_per_segment()
    {
        Assert.Equal(1, SmsSegments.Of(new string('a', 160)).Segments);
        Assert.Equal(2, SmsSegments.Of(new string('a', 161)).Segments);
        Assert.Equal(2, SmsSegments.Of(new string('a', 306)).Segments);
        Assert.Equal(3, SmsSegments.Of(new string('a', 307)).Segments);
        Assert.Equal(153, SmsSegments.Of(new string('a', 307)).UnitsPerSegment);
    }

    [Fact]
    public void Gsm7_extension_characters_take_two_septets_and_are_not_split()
    {
        var euro = SmsSegments.Of("Price: 5€ {promo}");
        Assert.Equal("GSM-7", euro.Encoding);
        Assert.Equal(17, euro.Characters);
        Assert.Equal(20, euro.Units);

        Assert.Equal(1, SmsSegments.Of(new string('€', 80)).Segments); // 160 septets
        Assert.Equal(2, SmsSegments.Of(new string('€', 81)).Segments);
        // 152 plain + one € (2 septets) cannot fit the first 153-septet part: the escape pair moves whole to the next.
        // 306 septets would fill two parts exactly, but not with the pair split: it takes three.
        var edge = SmsSegments.Of(new string('a', 152) + "€" + new string('a', 152));
        Assert.Equal(306, edge.Units);
        Assert.Equal(3, edge.Segments);
    }

    [Fact]
    public void Cyrillic_text_is_ucs2_with_70_then_67_per_segment()
    {
        var hello = SmsSegments.Of("Здравствуйте! Ваш заказ готов.");
        Assert.Equal("UCS-2", hello.Encoding);
        Assert.Equal(30, hello.Characters);
        Assert.Equal(1, hello.Segments);

        Assert.Equal(1, SmsSegments.Of(new string('ж', 70)).Segments);
        Assert.Equal(2, SmsSegments.Of(new string('ж', 71)).Segments);
        Assert.Equal(2, SmsSegments.Of(new string('ж', 134)).Segments);
        Assert.Equal(3, SmsSegments.Of(new string('ж', 135)).Segments);
        // The same length in Latin letters is one GSM-7 segment: Cyrillic costs more.
        Assert.Equal(1, SmsSegments.Of(new string('z', 135)).Segments);
    }

    [Fact]
    public void An_emoji_makes_the_text_ucs2_counts_as_one_character_and_two_units()
    {
        var count = SmsSegments.Of("Thanks 👍");
        Assert.Equal("UCS-2", count.Encoding);
        Assert.Equal(8, count.Characters);
        Assert.Equal(9, count.Units);
        Assert.Equal(1, count.Segments);

        Assert.Equal(1, SmsSegments.Of(string.Concat(Enumerable.Repeat("😀", 35))).Segments); // 70 units
        Assert.Equal(2, SmsSegments.Of(string.Concat(Enumerable.Repeat("😀", 36))).Segments);
        // 134 units would fill two parts exactly, but the pair after 66 units is not split: it takes three.
        var edge = SmsSegments.Of(new string('ж', 66) + "😀" + new string('ж', 66));
        Assert.Equal(134, edge.Units);
        Assert.Equal(3, edge.Segments);
    }
}
