using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactCenter.Core;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WebChat.Sites;

/// <summary>
/// `webchat`: `{allowedOrigins?, greeting?, title?, color?, secret?, language?, strings?, preChat?, offlineMessage?}`
/// (secret: for verified identifiers; the rest: <see cref="WidgetSettings"/>) → `public.widgetKey` and an embed snippet.
/// </summary>
public sealed partial class WebchatChannelKind(IOptions<WebChatOptions> options) : IChannelKindHandler
{
    public string Kind => ChannelKinds.Webchat;

    public string? PublicKeyName => "widgetKey";

    public IReadOnlyCollection<string> SecretSettings { get; } = ["secret"];

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex Color();

    public Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        SiteOrigins.Validate(settings, errors);
        CheckText(settings, "greeting", 500, errors);
        CheckText(settings, "title", 100, errors);
        if (settings["color"] is { } color && (color.GetValueKind() != JsonValueKind.String || !Color().IsMatch(color.GetValue<string>())))
        {
            errors["settings.color"] = ["color is a hex colour such as #1f6feb."];
        }
        if (settings["secret"] is { } secret && (secret.GetValueKind() != JsonValueKind.String || secret.GetValue<string>().Length < 16))
        {
            errors["settings.secret"] = ["secret (for identifier hashes) must be at least 16 characters."];
        }
        WidgetSettings.Validate(settings, errors);
        return Task.FromResult<IDictionary<string, string[]>>(errors);
    }

    public IDictionary<string, object?> PublicInfo(ChannelInfo channel) => new Dictionary<string, object?>
    {
        ["embedHtml"] = $"""<script src="{WebUtility.HtmlEncode(options.Value.PublicBaseUrl.TrimEnd('/'))}/widget.js" data-widget-key="{WebUtility.HtmlEncode(channel.PublicKey)}" async></script>""",
    };

    internal static void CheckText(JsonObject settings, string name, int max, IDictionary<string, string[]> errors)
    {
        if (settings[name] is { } value && (value.GetValueKind() != JsonValueKind.String || value.GetValue<string>().Length > max))
        {
            errors["settings." + name] = [$"{name} is text of at most {max} characters."];
        }
    }
}
