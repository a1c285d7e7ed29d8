using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Core.Net;

namespace ContactCenter.Api.Features.Channels;

/// <summary>
/// The settings through which an admin points the server at other machines (callback URLs, provider API bases, mail
/// hosts), checked when a channel is saved for every kind at once: a host that is an internal address literal
/// (loopback, private, link-local, metadata...) is refused unless `OutboundFetch` allows it. Names are not resolved here
/// (DNS answers change): the outbound guard checks them when it connects.
/// </summary>
public static class ChannelTargets
{
    private static readonly string[] UrlSettings = ["callbackUrl", "apiBaseUrl"];
    private static readonly string[] HostSettings = ["imapHost", "smtpHost"];

    public static IDictionary<string, string[]> Validate(JsonObject settings, OutboundFetchSettings outbound)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var name in UrlSettings)
        {
            if (Text(settings, name) is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && !outbound.PermitsLiteralHost(uri.Host))
            {
                errors[$"settings.{name}"] = [$"{name} points at an internal address ({uri.Host}), which the server may not connect to."];
            }
        }
        foreach (var name in HostSettings)
        {
            if (Text(settings, name) is { } host && !outbound.PermitsLiteralHost(host))
            {
                errors[$"settings.{name}"] = [$"{name} is an internal address ({host}), which the server may not connect to."];
            }
        }
        return errors;
    }

    private static string? Text(JsonObject settings, string name) =>
        settings[name] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>().Trim() : null;
}
