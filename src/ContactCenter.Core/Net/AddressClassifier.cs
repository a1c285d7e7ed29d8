using System.Net;
using System.Net.Sockets;

namespace ContactCenter.Core.Net;

/// <summary>
/// Classifies an IP address for the outbound guard (<see cref="OutboundGuard"/>). IPv6 forms that carry an IPv4 address
/// (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are classified by the IPv4 address
/// inside, so ::ffff:10.0.0.1 is as private as 10.0.0.1.
/// </summary>
public static class AddressClassifier
{
    public static AddressClass Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } inner)
        {
            return Classify(inner);
        }
        return address.AddressFamily == AddressFamily.InterNetwork ? ClassifyV4(address.GetAddressBytes()) : ClassifyV6(address);
    }

    private static AddressClass ClassifyV4(byte[] b) => b switch
    {
        [0, 0, 0, 0] => AddressClass.Unspecified,
        [0, ..] => AddressClass.Reserved,
        [127, ..] => AddressClass.Loopback,
        [10, ..] => AddressClass.Private,
        [172, >= 16 and <= 31, ..] => AddressClass.Private,
        [192, 168, ..] => AddressClass.Private,
        [100, >= 64 and <= 127, ..] => AddressClass.SharedNat,
        [169, 254, ..] => AddressClass.LinkLocal,
        [192, 0, 0, _] => AddressClass.Reserved,
        [198, 18 or 19, ..] => AddressClass.Reserved,
        [>= 224 and <= 239, ..] => AddressClass.Multicast,
        [>= 240, ..] => AddressClass.Reserved,
        _ => AddressClass.Public,
    };

    private static AddressClass ClassifyV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any))
        {
            return AddressClass.Unspecified;
        }
        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressClass.Loopback;
        }
        var b = address.GetAddressBytes();
        return b switch
        {
            [0xff, ..] => AddressClass.Multicast,
            [var x, ..] when (x & 0xfe) == 0xfc => AddressClass.UniqueLocal,
            [0xfe, var y, ..] when (y & 0xc0) == 0x80 => AddressClass.LinkLocal,
            // fec0::/10, the old site-local range: private in practice.
            [0xfe, var y, ..] when (y & 0xc0) == 0xc0 => AddressClass.Private,
            // The rest of ::/8 (after the forms above) is reserved; 2001:db8::/32 is documentation only.
            [0, ..] => AddressClass.Reserved,
            [0x20, 0x01, 0x0d, 0xb8, ..] => AddressClass.Reserved,
            _ => AddressClass.Public,
        };
    }

    /// <summary>The IPv4 address an IPv6 address stands for, when it is one of the forms that carry one.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        var b = address.GetAddressBytes();
        // ::a.b.c.d (IPv4-compatible, deprecated) — but not :: and ::1, which are IPv6's own.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1))
        {
            return new IPAddress(b.AsSpan(12, 4));
        }
        // 64:ff9b::/96 (NAT64 well-known prefix) and 64:ff9b:1::/48 (local-use NAT64).
        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }
        // 2002::/16, 6to4: the IPv4 address is in bytes 2..5.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b.AsSpan(2, 4));
        }
        return null;
    }
}
