using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.WebChat.Forms;
using ContactCenter.Core;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WebChat.Sites;

/// <summary>`webform`: `{fields?, allowedOrigins?, redirectUrl?}` → `public.formKey` and an HTML snippet to paste.</summary>
public sealed class WebformChannelKind(IOptions<WebChatOptions> options) : IChannelKindHandler
{
    public string Kind => ChannelKinds.Webform;

    public string? PublicKeyName => "formKey";

    public IReadOnlyCollection<string> SecretSettings { get; } = [];

    public Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        SiteOrigins.Validate(settings, errors);
        FormFields.Validate(settings, errors);
        if (settings["redirectUrl"] is { } redirect && (redirect.GetValueKind() != JsonValueKind.String || !HttpUrl.IsValid(redirect.GetValue<string>())))
        {
            errors["settings.redirectUrl"] = ["redirectUrl must be an absolute http(s) URL (the thank-you page)."];
        }
        return Task.FromResult<IDictionary<string, string[]>>(errors);
    }

    public IDictionary<string, object?> PublicInfo(ChannelInfo channel) => new Dictionary<string, object?>
    {
        ["submitUrl"] = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/forms/{channel.PublicKey}",
        ["embedHtml"] = FormSnippet.Html(channel, options.Value.PublicBaseUrl),
    };
}
