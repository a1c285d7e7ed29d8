using ContactCenter.Core;

namespace ContactCenter.UnitTests;

/// <summary>The one email rule behind contacts, the widget, forms, imports and the api channel.</summary>
public sealed class ContactAddressesTests
{
    [Theory]
    [InlineData("anna@example.com")]
    [InlineData("Anna.Petrova+orders@mail.example.co.uk")]
    [InlineData("ivan@почта.рф")]
    [InlineData("ivan@xn--80a1acny.xn--p1ai")]
    [InlineData("o'brien@my-shop.example")]
    public void Takes_an_address_a_mail_server_would_deliver_to(string email) => Assert.True(ContactAddresses.IsEmail(email));

    [Theory]
    [InlineData("")]
    [InlineData("not an email")]
    [InlineData("anna")]
    [InlineData("@example.com")]
    [InlineData("anna@")]
    [InlineData("anna@localhost")]
    [InlineData("anna@example.com.")]
    [InlineData("anna@example..com")]
    [InlineData("anna@.example.com")]
    [InlineData("anna@[127.0.0.1]")]
    [InlineData("anna@127.0.0.1")]
    [InlineData("anna@-example.com")]
    [InlineData("anna@example-.com")]
    [InlineData("anna@exa_mple.com")]
    [InlineData("Anna <anna@example.com>")]
    [InlineData("anna@example.com ")]
    [InlineData("an na@example.com")]
    public void Refuses_what_is_not_a_deliverable_address(string email) => Assert.False(ContactAddresses.IsEmail(email));

    [Fact]
    public void Refuses_an_address_longer_than_a_mail_path_allows()
    {
        var local = new string('a', 64);
        var domain = string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";
        Assert.True((local + "@" + domain).Length > ContactAddresses.MaxEmailLength);
        Assert.False(ContactAddresses.IsEmail(local + "@" + domain));
        Assert.False(ContactAddresses.IsEmail("anna@" + new string('b', 64) + ".com"));
        Assert.True(ContactAddresses.IsEmail("anna@" + new string('b', 63) + ".com"));
    }
}

public sealed class TypedPhoneRegionTests
{
    [Theory]
    [InlineData("8 (916) 123-45-67", "RU", "+79161234567")]
    [InlineData("+7 916 123-45-67", "RU", "+79161234567")]
    [InlineData("+1 415 555 0100", "RU", "+14155550100")]
    [InlineData("0044 20 7946 0958", "RU", "+442079460958")]
    [InlineData("8 (916) 123-45-67", null, null)]
    [InlineData("916 123", "RU", null)]
    [InlineData("+7 916", "RU", null)]
    [InlineData("", "RU", null)]
    public void A_typed_number_is_read_in_the_national_form_of_the_configured_region_only(string typed, string? region, string? expected) =>
        Assert.Equal(expected, ContactCenter.Core.E164.NormalizeValid(typed, region));
}
