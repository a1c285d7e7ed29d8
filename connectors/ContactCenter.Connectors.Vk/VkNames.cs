using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.Vk;

/// <summary>
/// The customer's name for a new contact: VK's events carry only a user id, so users.get is asked, briefly (the message
/// is stored without a name rather than late or not at all). Names are kept per process.
/// </summary>
public sealed class VkNames(VkApi api, IOptions<VkOptions> options, ILogger<VkNames> logger)
{
    public sealed record Name(string? DisplayName, string? ScreenName);

    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, Name> cache = new();

    /// <summary>Forgets every name (tests start each case afresh).</summary>
    internal void Forget() => cache.Clear();

    public async Task<Name> LookupAsync(VkSettings settings, string userId, CancellationToken ct)
    {
        var cacheKey = $"{settings.GroupId}:{userId}";
        if (cache.TryGetValue(cacheKey, out var known))
        {
            return known;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.NameLookupTimeout);
        try
        {
            var users = await api.CallAsync(settings, "users.get",
                new Dictionary<string, string> { ["user_ids"] = userId, ["fields"] = "screen_name" }, timeout.Token);
            var user = users.ValueKind == JsonValueKind.Array ? users.EnumerateArray().FirstOrDefault() : default;
            var full = string.Join(' ', new[] { user.Str("first_name"), user.Str("last_name") }.Where(s => !string.IsNullOrWhiteSpace(s)));
            var name = new Name(full.Length == 0 ? null : full, user.Str("screen_name"));
            if (cache.Count >= MaxCached)
            {
                cache.Clear();
            }
            cache[cacheKey] = name;
            return name;
        }
        catch (Exception ex) when (ex is VkApiException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogInformation("VK users.get for {UserId} failed ({Error}); the contact is stored without a name", userId, ex.Message);
            return new Name(null, null);
        }
    }
}
