using System.Text.Json.Nodes;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Api;

public sealed class ApiChannelKind : IChannelKindHandler
{
    public string Kind => ChannelKinds.Api;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["secret"];

    public Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (settings["secret"]?.GetValueKind() != System.Text.Json.JsonValueKind.String || settings["secret"]!.GetValue<string>().Length < 16)
        {
            errors["settings.secret"] = ["A secret of at least 16 characters is required to sign requests."];
        }
        var callback = settings["callbackUrl"];
        if (callback is not null && (callback.GetValueKind() != System.Text.Json.JsonValueKind.String || !HttpUrl.IsValid(callback.GetValue<string>())))
        {
            errors["settings.callbackUrl"] = ["callbackUrl must be an absolute http(s) URL."];
        }
        return Task.FromResult<IDictionary<string, string[]>>(errors);
    }

    public IDictionary<string, object?> PublicInfo(ChannelInfo channel) =>
        new Dictionary<string, object?> { ["inboundUrl"] = $"/api/inbound/{channel.Id}" };
}
