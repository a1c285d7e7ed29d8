using System.Diagnostics.CodeAnalysis;

namespace ContactCenter.Core;

/// <summary>The rule for a channel setting that names a web address (an API base URL, a callback, a redirect).</summary>
public static class HttpUrl
{
    /// <summary>
    /// Whether <paramref name="url"/> is an absolute http or https URL, as typed (no spaces around it), with no user name
    /// or password in it: settings are shown to every admin, and a credential belongs in a secret setting.
    /// </summary>
    public static bool IsValid([NotNullWhen(true)] string? url) =>
        url is not null && url.Length == url.Trim().Length
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is ("http" or "https") && uri.UserInfo.Length == 0;
}
