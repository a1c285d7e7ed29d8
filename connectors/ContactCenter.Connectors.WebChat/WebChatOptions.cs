namespace ContactCenter.Connectors.WebChat;

/// <summary>`WebChat` settings: limits for the public widget and form endpoints, and how they are reached.</summary>
public sealed record WebChatOptions
{
    /// <summary>The service's public URL (`https://chat.example.com`), used in the embed snippets; empty gives relative snippets.</summary>
    public string PublicBaseUrl { get; init; } = "";

    /// <summary>Signs visitor tokens; the same on every node. Empty: derived from `Auth:JwtKey`.</summary>
    public string TokenKey { get; init; } = "";

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromDays(7);

    public int MaxTextLength { get; init; } = 5_000;

    public int MaxFieldLength { get; init; } = 2_000;

    /// <summary>Prefix of the rate-limit keys in Redis.</summary>
    public string RedisPrefix { get; init; } = "cc";

    public TimeSpan RateWindow { get; init; } = TimeSpan.FromMinutes(1);

    public int SessionsPerIp { get; init; } = 30;

    public int MessagesPerVisitor { get; init; } = 30;

    public int MessagesPerIp { get; init; } = 120;

    public int FormsPerIp { get; init; } = 10;

    /// <summary>The largest file a visitor may upload through the widget (bytes); larger is refused with 413.</summary>
    public long MaxUploadBytes { get; init; } = 10 * 1024 * 1024;
}
