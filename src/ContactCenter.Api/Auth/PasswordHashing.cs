using Microsoft.AspNetCore.Identity;

namespace ContactCenter.Api.Auth;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher (versioned format, rehash-aware), without the rest of Identity.</summary>
public sealed class PasswordHashing
{
    private static readonly object Subject = new();
    private readonly PasswordHasher<object> hasher = new();

    // A real hash to verify against when the email is unknown, so timing does not reveal which emails exist.
    private readonly Lazy<string> dummyHash;

    public PasswordHashing() => dummyHash = new Lazy<string>(() => Hash("not-a-real-password"));

    public string Hash(string password) => hasher.HashPassword(Subject, password);

    public bool Verify(string? hash, string password)
    {
        var result = hasher.VerifyHashedPassword(Subject, hash ?? dummyHash.Value, password);
        return hash is not null && result != PasswordVerificationResult.Failed;
    }
}
