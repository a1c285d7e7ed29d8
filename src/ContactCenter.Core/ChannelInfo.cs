using System.Text.Json.Nodes;

namespace ContactCenter.Core;

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
