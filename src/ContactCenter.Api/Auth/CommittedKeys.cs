namespace ContactCenter.Api.Auth;

/// <summary>
/// Signing keys that are (or were) committed to the repository. Anyone with the source can forge tokens signed with
/// them, so outside Development the app refuses to start with one of them as Auth:JwtKey.
/// </summary>
public static class CommittedKeys
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        // appsettings.Development.json
        "development-only-key-change-me-in-production-0123456789",
        // the functional tests' and benchmarks' fixed keys before they generated one per run
        "functional-tests-jwt-key-0123456789abcdef",
        "bench-only-jwt-key-0123456789-abcdefghijklmnop",
    };

    public static void EnsureNotCommitted(string key, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment() && All.Contains(key.Trim()))
        {
            throw new InvalidOperationException(
                $"Auth:JwtKey is a key committed to the repository (appsettings.Development.json); it may sign tokens only in Development, not in '{environment.EnvironmentName}'. " +
                "Set Auth:JwtKey (environment variable Auth__JwtKey) to a secret of at least 32 random bytes, the same on every node.");
        }
    }
}
