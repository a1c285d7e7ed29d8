using System.Text.Json.Nodes;

namespace ContactCenter.Core;

public static class ChannelKinds
{
    public const string Api = "api";
    public const string Telegram = "telegram";
    public const string Sms = "sms";
    public const string Email = "email";
    public const string Webchat = "webchat";
    public const string Webform = "webform";
    public const string WhatsApp = "whatsapp";
    public const string Vk = "vk";
    public const string Voice = "voice";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Api, Telegram, Sms, Email, Webchat, Webform, WhatsApp, Vk, Voice };
}

/// <summary>A channel as connectors see it: its settings include secrets, so never send this to a client.</summary>
public sealed record ChannelInfo(long Id, string Kind, string Name, bool Enabled, JsonObject Settings, string? PublicKey)
{
    public string? Setting(string name) => Settings[name]?.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => Settings[name]!.GetValue<string>(),
        null => null,
        _ => Settings[name]!.ToJsonString(),
    };
}

/// <summary>Finding channels: what a connector needs to read its channel's settings or report a problem on it.</summary>
public interface IChannelDirectory
{
    Task<ChannelInfo?> FindAsync(long channelId, CancellationToken cancellationToken);

    Task<ChannelInfo?> FindByPublicKeyAsync(string publicKey, CancellationToken cancellationToken);

    /// <summary>Records (or clears, with null) a problem shown on the channel, such as a rejected token.</summary>
    Task SetStatusErrorAsync(long channelId, string? error, CancellationToken cancellationToken);

    /// <summary>The channels of one kind (e.g. for a poller), enabled or not.</summary>
    Task<IReadOnlyList<ChannelInfo>> ListAsync(string kind, CancellationToken cancellationToken);
}

/// <summary>A connector's durable state on a channel across restarts and nodes: positions it has read up to, and leases.</summary>
public interface IChannelCursors
{
    /// <summary>A connector's durable position on a channel (a polling offset, a mailbox UID), or null before the first.</summary>
    Task<string?> GetCursorAsync(long channelId, string name, CancellationToken cancellationToken);

    Task SetCursorAsync(long channelId, string name, string value, CancellationToken cancellationToken);

    /// <summary>
    /// Takes or renews a lease named <paramref name="name"/> on a channel for <paramref name="owner"/> (one poller per bot
    /// across nodes). True while this owner holds it; another owner gets it only after <paramref name="ttl"/> without renewal.
    /// </summary>
    Task<bool> TryLeaseAsync(long channelId, string name, string owner, TimeSpan ttl, CancellationToken cancellationToken);
}

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
