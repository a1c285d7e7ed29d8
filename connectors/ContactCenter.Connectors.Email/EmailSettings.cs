using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Core;
using MailKit.Security;

namespace ContactCenter.Connectors.Email;

/// <summary>An email channel's settings: the mailbox address, IMAP and SMTP servers and one login for both.</summary>
public sealed record EmailSettings(
    string Address,
    string ImapHost,
    int ImapPort,
    string ImapSecurity,
    string SmtpHost,
    int SmtpPort,
    string SmtpSecurity,
    string Username,
    string Password,
    string TlsCertificateFingerprint = "")
{
    public static readonly string[] SecurityModes = ["none", "starttls", "ssl", "auto"];

    public static EmailSettings From(ChannelInfo channel) => From(channel.Settings);

    public static EmailSettings From(JsonObject s) => new(
        Str(s, "address").Trim(),
        Str(s, "imapHost").Trim(),
        Int(s, "imapPort") ?? 993,
        Str(s, "imapSecurity", "auto"),
        Str(s, "smtpHost").Trim(),
        Int(s, "smtpPort") ?? 587,
        Str(s, "smtpSecurity", "auto"),
        Str(s, "username"),
        Str(s, "password"),
        Str(s, EmailTls.FingerprintSetting));

    /// <summary>Certificates this channel trusts besides the system's authorities (<see cref="EmailTls"/>).</summary>
    public IReadOnlyList<string> TrustedFingerprints => EmailTls.ParseFingerprints(TlsCertificateFingerprint);

    /// <summary>The domain of the address, used in our own Message-IDs.</summary>
    public string Domain => Address.Contains('@', StringComparison.Ordinal) ? Address[(Address.LastIndexOf('@') + 1)..] : "localhost";

    public static SecureSocketOptions Socket(string mode) => mode switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "ssl" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };

    public static Dictionary<string, string[]> Validate(JsonObject s)
    {
        var errors = new Dictionary<string, string[]>();
        var address = Str(s, "address").Trim();
        if (!MimeKit.MailboxAddress.TryParse(address, out var parsed) || parsed.Address != address || !address.Contains('@', StringComparison.Ordinal))
        {
            errors["settings.address"] = ["A valid email address (e.g. sales@example.com) is required."];
        }
        foreach (var prefix in new[] { "imap", "smtp" })
        {
            if (string.IsNullOrWhiteSpace(Str(s, prefix + "Host")))
            {
                errors[$"settings.{prefix}Host"] = [$"The {prefix.ToUpperInvariant()} server's host name is required."];
            }
            var port = s[prefix + "Port"];
            if (port is not null && Int(s, prefix + "Port") is not (> 0 and < 65536))
            {
                errors[$"settings.{prefix}Port"] = ["The port must be a number from 1 to 65535."];
            }
            var security = s[prefix + "Security"];
            if (security is not null && !SecurityModes.Contains(Str(s, prefix + "Security")))
            {
                errors[$"settings.{prefix}Security"] = [$"Security must be one of: {string.Join(", ", SecurityModes)}."];
            }
        }
        if (s[EmailTls.FingerprintSetting] is { } pin && (pin.GetValueKind() != JsonValueKind.String || !EmailTls.IsValidFingerprintList(pin.GetValue<string>())))
        {
            errors["settings." + EmailTls.FingerprintSetting] = ["The pinned certificate must be its SHA-256 fingerprint: 64 hex digits (colons allowed), several separated by commas."];
        }
        if (string.IsNullOrWhiteSpace(Str(s, "username")))
        {
            errors["settings.username"] = ["The mailbox user name is required."];
        }
        if (string.IsNullOrEmpty(Str(s, "password")))
        {
            errors["settings.password"] = ["The mailbox password is required."];
        }
        return errors;
    }

    private static string Str(JsonObject s, string name, string fallback = "") =>
        s[name]?.GetValueKind() == JsonValueKind.String ? s[name]!.GetValue<string>() : fallback;

    private static int? Int(JsonObject s, string name) => s[name]?.GetValueKind() switch
    {
        JsonValueKind.Number when s[name]!.AsValue().TryGetValue<int>(out var n) => n,
        JsonValueKind.String when int.TryParse(s[name]!.GetValue<string>(), out var n) => n,
        _ => null,
    };
}
