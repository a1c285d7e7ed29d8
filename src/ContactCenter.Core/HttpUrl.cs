using System.Diagnostics.CodeAnalysis;

namespace ContactCenter.Core;

/// <summary>The rule for a channel setting that names a web address (an API base URL, a callback, a redirect).</summary>
public static class HttpUrl
{
    /// <summary>Whether <paramref name="url"/> is an absolute http or https URL.</summary>
    public static bool IsValid([NotNullWhen(true)] string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is ("http" or "https");
}
