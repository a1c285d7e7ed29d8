using System.Text;
using ContactCenter.Connectors.Api;

namespace ContactCenter.UnitTests;

public sealed class ApiSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"text\":\"Привет\"}");

    [Fact]
    public void A_signature_computed_with_the_secret_verifies_in_either_hex_case()
    {
        var signature = ApiSignature.Compute("s3cret-s3cret-s3cret", Body);

        Assert.StartsWith("sha256=", signature);
        Assert.Equal(7 + 64, signature.Length);
        Assert.True(ApiSignature.Verify("s3cret-s3cret-s3cret", Body, signature));
        Assert.True(ApiSignature.Verify("s3cret-s3cret-s3cret", Body, "sha256=" + signature[7..].ToUpperInvariant()));
    }

    [Fact]
    public void A_known_vector_matches()
    {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog") from RFC 4231-style published examples.
        var signature = ApiSignature.Compute("key", Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog"));

        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", signature);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=abcdef")]
    [InlineData("sha256=not-hex")]
    public void Missing_or_malformed_signatures_do_not_verify(string? header)
    {
        Assert.False(ApiSignature.Verify("s3cret-s3cret-s3cret", Body, header));
    }

    [Fact]
    public void A_changed_body_or_another_secret_does_not_verify()
    {
        var signature = ApiSignature.Compute("s3cret-s3cret-s3cret", Body);

        Assert.False(ApiSignature.Verify("s3cret-s3cret-s3cret", Encoding.UTF8.GetBytes("{\"text\":\"Привет!\"}"), signature));
        Assert.False(ApiSignature.Verify("another-secret-000", Body, signature));
        Assert.False(ApiSignature.Verify("", Body, signature));
    }
}
