using System.Text.Json.Nodes;

namespace ContactCenter.Core;

/// <summary>
/// What a connector says about its kind of channel: which settings are secrets (accepted, never returned),
/// how to validate them, and what to do when a channel is created or changed (check a token, register a webhook).
/// </summary>
public interface IChannelKindHandler
{
    string Kind { get; }

    IReadOnlyCollection<string> SecretSettings { get; }

    /// <summary>The name under `public` of the channel's random public key (`widgetKey`, `formKey`), or null for none.</summary>
    string? PublicKeyName => null;

    /// <summary>Validation errors by setting name; empty when the settings are usable. May normalise settings in place.</summary>
    Task<IDictionary<string, string[]>> ValidateAsync(JsonObject settings, CancellationToken cancellationToken);

    /// <summary>Runs after the channel is stored (created, changed or enabled). Problems go to the channel's status error.</summary>
    Task OnSavedAsync(ChannelInfo channel, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Extra non-secret facts for clients (webhook URLs, embed snippets), merged into `public`.</summary>
    IDictionary<string, object?> PublicInfo(ChannelInfo channel) => new Dictionary<string, object?>();
}
