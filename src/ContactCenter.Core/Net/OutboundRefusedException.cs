namespace ContactCenter.Core.Net;

/// <summary>The guard refused to connect: the host is (or resolves to) an internal address that is not allowed.</summary>
public sealed class OutboundRefusedException(string host) : IOException($"cannot connect to {host}: the address is not allowed")
{
    public string Host => host;
}
