using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ContactCenter.Api.Auth;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher (versioned format, rehash-aware), without the rest of Identity.</summary>
public sealed class PasswordHashing
{
    private static readonly object Subject = new();
    private readonly PasswordHasher<object> hasher;

    // A real hash to verify against when the email is unknown, so timing does not reveal which emails exist.
    private readonly Lazy<string> dummyHash;

    /// <param name="options">Identity's defaults (100,000 iterations) unless code configures <see cref="PasswordHasherOptions"/>; only the test apps do, with fewer.</param>
    public PasswordHashing(IOptions<PasswordHasherOptions> options)
    {
        hasher = new PasswordHasher<object>(options);
        dummyHash = new Lazy<string>(() => Hash("not-a-real-password"));
    }

    public string Hash(string password) => hasher.HashPassword(Subject, password);

    public bool Verify(string? hash, string password)
    {
        var result = hasher.VerifyHashedPassword(Subject, hash ?? dummyHash.Value, password);
        return hash is not null && result != PasswordVerificationResult.Failed;
    }
}
