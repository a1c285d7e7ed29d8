using System.Net;
using ContactCenter.Core.Net;

namespace ContactCenter.UnitTests;

/// <summary>Classification only: no packet is ever sent to these addresses.</summary>
public sealed class AddressClassifierTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressClass.Loopback)]
    [InlineData("127.255.255.254", AddressClass.Loopback)]
    [InlineData("::1", AddressClass.Loopback)]
    [InlineData("10.0.0.1", AddressClass.Private)]
    [InlineData("10.255.255.255", AddressClass.Private)]
    [InlineData("172.16.0.1", AddressClass.Private)]
    [InlineData("172.31.255.255", AddressClass.Private)]
    [InlineData("192.168.1.1", AddressClass.Private)]
    [InlineData("100.64.0.1", AddressClass.SharedNat)]
    [InlineData("100.127.255.255", AddressClass.SharedNat)]
    [InlineData("169.254.169.254", AddressClass.LinkLocal)]
    [InlineData("169.254.0.1", AddressClass.LinkLocal)]
    [InlineData("224.0.0.1", AddressClass.Multicast)]
    [InlineData("239.255.255.250", AddressClass.Multicast)]
    [InlineData("0.0.0.0", AddressClass.Unspecified)]
    [InlineData("::", AddressClass.Unspecified)]
    [InlineData("0.1.2.3", AddressClass.Reserved)]
    [InlineData("255.255.255.255", AddressClass.Reserved)]
    [InlineData("fc00::1", AddressClass.UniqueLocal)]
    [InlineData("fd12:3456:789a::1", AddressClass.UniqueLocal)]
    [InlineData("fe80::1", AddressClass.LinkLocal)]
    [InlineData("febf::1", AddressClass.LinkLocal)]
    [InlineData("ff02::1", AddressClass.Multicast)]
    [InlineData("::ffff:10.0.0.1", AddressClass.Private)]
    [InlineData("::ffff:127.0.0.1", AddressClass.Loopback)]
    [InlineData("::ffff:169.254.169.254", AddressClass.LinkLocal)]
    [InlineData("::ffff:192.168.0.1", AddressClass.Private)]
    [InlineData("::ffff:100.64.1.1", AddressClass.SharedNat)]
    [InlineData("::10.0.0.1", AddressClass.Private)]
    [InlineData("::127.0.0.1", AddressClass.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressClass.LinkLocal)]
    [InlineData("64:ff9b::7f00:1", AddressClass.Loopback)]
    [InlineData("2002:0a00:0001::1", AddressClass.Private)]
    [InlineData("2002:7f00:0001::1", AddressClass.Loopback)]
    public void Internal_addresses_are_classified(string address, AddressClass expected) =>
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("192.169.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:0808:0808::1")]
    public void Public_addresses_are_public(string address) =>
        Assert.Equal(AddressClass.Public, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Fact]
    public void Without_an_allow_list_only_public_addresses_are_permitted()
    {
        var settings = new OutboundFetchSettings();
        Assert.True(settings.Permits(IPAddress.Parse("8.8.8.8")));
        Assert.False(settings.Permits(IPAddress.Parse("127.0.0.1")));
        Assert.False(settings.Permits(IPAddress.Parse("::ffff:169.254.169.254")));
        Assert.False(settings.PermitsLiteralHost("169.254.169.254"));
        Assert.False(settings.PermitsLiteralHost("[fd00::1]"));
        Assert.True(settings.PermitsLiteralHost("api.example.com"));
    }

    [Fact]
    public void The_allow_list_names_cidrs_addresses_and_hosts()
    {
        var settings = new OutboundFetchSettings { Allow = ["10.1.0.0/16", "192.168.5.5", "mail.internal"] };
        Assert.True(settings.Permits(IPAddress.Parse("10.1.2.3")));
        Assert.True(settings.Permits(IPAddress.Parse("::ffff:10.1.2.3")));
        Assert.False(settings.Permits(IPAddress.Parse("10.2.0.1")));
        Assert.True(settings.Permits(IPAddress.Parse("192.168.5.5")));
        Assert.False(settings.Permits(IPAddress.Parse("192.168.5.6")));
        Assert.True(settings.PermitsHost("MAIL.internal"));
        Assert.False(settings.Permits(IPAddress.Parse("127.0.0.1")));
        Assert.True((settings with { AllowLoopback = true }).Permits(IPAddress.Parse("127.0.0.1")));
        Assert.False((settings with { AllowLoopback = true }).Permits(IPAddress.Parse("169.254.169.254")));
    }
}
