namespace ContactCenter.Connectors.Vk;

/// <summary>The body is JSON, but not shaped like a Callback API event (a field VK always sends is missing).</summary>
public sealed class VkShapeException(string message) : FormatException(message);
