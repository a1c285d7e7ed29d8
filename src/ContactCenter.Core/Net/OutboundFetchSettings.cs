using System.Net;

namespace ContactCenter.Core.Net;

/// <summary>
/// What the outbound guard lets through besides public addresses (configuration section `OutboundFetch`).
/// </summary>
public sealed record OutboundFetchSettings
{
    /// <summary>CIDRs (`10.1.0.0/16`), single addresses or host names that may be reached although they are internal.</summary>
    public string[] Allow { get; init; } = [];

    /// <summary>Loopback may be reached (Development turns this on so local stand-ins of providers work).</summary>
    public bool AllowLoopback { get; init; }

    /// <summary>A response body larger than this is cut off with an error.</summary>
    public long MaxResponseBytes { get; init; } = 60L * 1024 * 1024;

    /// <summary>Connecting (DNS + TCP + TLS) takes at most this long.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>No request (headers and body) runs longer than this, whatever its client's own timeout (Telegram long polls 90 s).</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Whether an address may be connected to: public, or loopback when allowed, or in the allow-list.</summary>
    public bool Permits(IPAddress address)
    {
        var kind = AddressClassifier.Classify(address);
        if (kind == AddressClass.Public || (kind == AddressClass.Loopback && AllowLoopback))
        {
            return true;
        }
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var entry in Allow)
        {
            if (IPNetwork.TryParse(entry, out var network) && network.Contains(plain))
            {
                return true;
            }
            if (IPAddress.TryParse(entry, out var single) && single.Equals(plain))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether a host name was allow-listed by name (then whatever it resolves to is the operator's choice).</summary>
    public bool PermitsHost(string host) =>
        Allow.Any(entry => !IPNetwork.TryParse(entry, out _) && !IPAddress.TryParse(entry, out _)
            && entry.Trim().Equals(host, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// For settings an admin types (callback URLs, API bases, mail hosts): a host that is an internal address literal and
    /// not allowed is refused when the channel is saved. Names are checked when they are connected to (DNS may change).
    /// </summary>
    public bool PermitsLiteralHost(string host) =>
        !IPAddress.TryParse(host.Trim('[', ']'), out var address) || Permits(address) || PermitsHost(host);
}
