namespace ContactCenter.Core.Net;

/// <summary>What kind of address a connection would go to. Anything but <see cref="Public"/> is inside someone's network.</summary>
public enum AddressClass
{
    Public,
    Loopback,
    Private,
    SharedNat,
    LinkLocal,
    Multicast,
    Unspecified,
    Reserved,
    UniqueLocal,
}
