using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Core;

namespace ContactCenter.Api.Features.Channels;

/// <summary>
/// The site channels (web chat widget, web forms) as far as channel set-up goes: allowed origins and a public key.
/// Their customer-facing endpoints belong to the web chat connector.
/// </summary>
public abstract class SiteChannelKind : IChannelKindHandler
{
    public abstract string Kind { get; }

    public abstract string PublicKeyName { get; }

    public IReadOnlyCollection<string> SecretSettings { get; } = ["secret"];

    public virtual Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (settings["allowedOrigins"] is { } origins)
        {
            if (origins is not JsonArray list || list.Any(o => o?.GetValueKind() != JsonValueKind.String
                || !Uri.TryCreate(o.GetValue<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                errors["settings.allowedOrigins"] = ["allowedOrigins must be a list of origins such as https://example.com."];
            }
        }
        return Task.FromResult<IDictionary<string, string[]>>(errors);
    }
}

public sealed class WebchatChannelKind : SiteChannelKind
{
    public override string Kind => ChannelKinds.Webchat;

    public override string PublicKeyName => "widgetKey";
}

public sealed class WebformChannelKind : SiteChannelKind
{
    public override string Kind => ChannelKinds.Webform;

    public override string PublicKeyName => "formKey";
}
