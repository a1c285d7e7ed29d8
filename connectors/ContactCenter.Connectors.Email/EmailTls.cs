using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Security;

namespace ContactCenter.Connectors.Email;

/// <summary>
/// TLS for the IMAP and SMTP connections. By default a server's certificate must chain to a trusted authority and match
/// the host name (MailKit's own check). A channel may pin certificates instead with `tlsCertificateFingerprint`: the
/// SHA-256 fingerprints (hex, colons optional, several separated by commas) of certificates it accepts even when the
/// system would not — a self-hosted server with a self-signed certificate, or the tests' throw-away one. Pinning only
/// widens trust for that exact certificate on that one channel; validation is never turned off.
/// </summary>
public static class EmailTls
{
    public const string FingerprintSetting = "tlsCertificateFingerprint";

    /// <summary>Normalised fingerprints (upper-case hex without separators); empty when the setting is absent or malformed.</summary>
    public static IReadOnlyList<string> ParseFingerprints(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }
        var list = new List<string>();
        foreach (var part in value.Split([',', ';', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var hex = part.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
            if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            {
                return [];
            }
            list.Add(hex);
        }
        return list;
    }

    /// <summary>Whether the value is empty or a list of SHA-256 fingerprints.</summary>
    public static bool IsValidFingerprintList(string? value) => string.IsNullOrWhiteSpace(value) || ParseFingerprints(value).Count > 0;

    public static string Fingerprint(X509Certificate certificate) => Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>The fingerprint as shown to people: AB:CD:...</summary>
    public static string Display(string fingerprint) =>
        string.Join(':', Enumerable.Range(0, fingerprint.Length / 2).Select(i => fingerprint.Substring(i * 2, 2)));

    /// <summary>Accepts a pinned certificate besides the ones the system trusts; without pins MailKit's default check applies.</summary>
    public static void Configure(MailService client, EmailSettings settings)
    {
        var pins = settings.TrustedFingerprints;
        if (pins.Count == 0)
        {
            return;
        }
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None || certificate is not null && pins.Contains(Fingerprint(certificate));
    }

    /// <summary>
    /// A channel status an admin can act on, for a failed TLS set-up; null when the exception is no TLS failure.
    /// The certificate's own fingerprint is public (any client sees it) and is what the admin would pin.
    /// </summary>
    public static string? Describe(string protocol, string host, int port, Exception ex) => ex switch
    {
        SslHandshakeException { ServerCertificate: { } certificate } => string.Format(CultureInfo.InvariantCulture,
            "{0}: the TLS certificate of {1}:{2} is not trusted (self-signed, from an unknown authority, expired or for another host name: {3}). " +
            "Use the provider's host name, or if this server is yours, pin its certificate with {4} = {5}.",
            protocol, host, port, Subject(certificate), FingerprintSetting, Display(Fingerprint(certificate))),
        SslHandshakeException => $"{protocol}: the TLS handshake with {host}:{port} failed (is the port for implicit TLS \"ssl\" or for \"starttls\"?).",
        NotSupportedException when ex.Message.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase) =>
            $"{protocol}: {host}:{port} does not offer STARTTLS; choose security \"ssl\" for an implicit TLS port.",
        _ => null,
    };

    private static string Subject(X509Certificate certificate) =>
        certificate is X509Certificate2 c2 ? c2.GetNameInfo(X509NameType.SimpleName, false) : certificate.Subject;
}
