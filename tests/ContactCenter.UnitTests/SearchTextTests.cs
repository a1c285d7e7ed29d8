using ContactCenter.Api.Features.Search;

namespace ContactCenter.UnitTests;

public sealed class SearchTextTests
{
    [Theory]
    [InlineData("delivery", "deliv:*")]
    [InlineData(" Доставка ", "доста:*")]
    [InlineData("orders", "order:*")]
    [InlineData("customization", "customizat:*")]
    [InlineData("short", "")]
    [InlineData("late delivery", "")]
    [InlineData("order4242", "")]
    [InlineData("\"delivery\"", "")]
    [InlineData("-delivery", "")]
    [InlineData("deli:*|", "")]
    public void The_prefix_query_is_one_long_word_of_letters_cut_short(string q, string expected) =>
        Assert.Equal(expected, SearchText.PrefixQuery(q));

    [Theory]
    [InlineData("+7 (916) 123-45-67", "79161234567")]
    [InlineData("916 123", "916123")]
    [InlineData("12", null)]
    [InlineData("call 916", null)]
    public void A_phone_like_text_gives_its_digits(string q, string? expected) =>
        Assert.Equal(expected, SearchText.PhoneDigits(q));

    [Fact]
    public void A_headline_becomes_escaped_html_with_marks_only_from_the_sentinels()
    {
        Assert.Equal("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; <mark>доставки</mark> e",
            SearchText.ToHtml("a <b> & \"c\" 'd' \u0001доставки\u0002 e"));
        // Unbalanced sentinels never leave a mark open or close one that was not opened.
        Assert.Equal("<mark>x</mark>y", SearchText.ToHtml("\u0001x\u0001\u0002y\u0002"));
        Assert.Equal("<mark>x</mark>", SearchText.ToHtml("\u0001x"));
    }

    [Fact]
    public void A_contact_snippet_marks_the_match_and_escapes_the_rest()
    {
        Assert.Equal("<mark>Петро</mark>ва &lt;VIP&gt;: Hi &amp; bye", SearchText.ContactSnippet("Петрова <VIP>", "петро", "Hi & bye"));
        Assert.Equal("+7<mark>916</mark>0", SearchText.ContactSnippet("+79160", "916", null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\0b")]
    [InlineData("a\u0001")]
    public void Unsearchable_texts_are_refused(string? q) => Assert.NotNull(SearchText.Problem(q));

    [Fact]
    public void Broken_unicode_is_refused()
    {
        Assert.NotNull(SearchText.Problem("\ud800x"));
        Assert.NotNull(SearchText.Problem("x\udc00"));
    }

    [Theory]
    [InlineData("доставка")]
    [InlineData("tab\there")]
    [InlineData("emoji 😀")]
    public void Searchable_texts_pass(string q) => Assert.Null(SearchText.Problem(q));

    [Fact]
    public void The_length_limit_is_200_characters()
    {
        Assert.Null(SearchText.Problem(new string('a', 200)));
        Assert.NotNull(SearchText.Problem(new string('a', 201)));
    }
}
