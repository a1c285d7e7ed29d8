using ContactCenter.Core;

namespace ContactCenter.Connectors.WebChat.Sites;

/// <summary>Tidies what visitors type (the email and phone rules are Core's <see cref="ContactAddresses"/>).</summary>
public static class ContactFields
{
    public const int MaxNameLength = 200;

    /// <summary>Trimmed and without NUL characters (PostgreSQL text cannot hold them; visitors' text is kept, not refused), or null when empty.</summary>
    public static string? Clean(string? value) =>
        WithoutNul(value) is var clean && string.IsNullOrWhiteSpace(clean) ? null : clean.Trim();

    public static string? WithoutNul(string? value) =>
        value is null || !value.Contains('\0', StringComparison.Ordinal) ? value : value.Replace("\0", "", StringComparison.Ordinal);
}
