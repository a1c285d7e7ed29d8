using ContactCenter.Core;

namespace ContactCenter.Api.Features.Channels;

/// <summary>The channel kinds that connectors registered (each connector's Add... call adds its handler).</summary>
public sealed class ChannelKindRegistry(IEnumerable<IChannelKindHandler> handlers)
{
    private readonly Dictionary<string, IChannelKindHandler> byKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    public IEnumerable<string> Kinds => byKind.Keys.Order();

    public IChannelKindHandler? Find(string kind) => byKind.GetValueOrDefault(kind);
}
