using System.Security.Cryptography;

namespace ContactCenter.Api.Storage;

public sealed record StorageOptions
{
    /// <summary>Where attachment files live; shared between nodes in production (a volume).</summary>
    public string Path { get; init; } = "";

    /// <summary>The largest file a manager may upload to send (bytes).</summary>
    public long MaxUploadBytes { get; init; } = 20 * 1024 * 1024;

    /// <summary>How long an upload no reply took is kept.</summary>
    public TimeSpan UnsentUploadTtl { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How old a file no row refers to must be before the orphan sweep removes it: longer than any transaction that may
    /// still commit a row for it (a file is written before its row).
    /// </summary>
    public TimeSpan OrphanFileTtl { get; init; } = TimeSpan.FromDays(1);
}

/// <summary>Attachment files on disk under random names; the database keeps the customer's (cleaned) file name.</summary>
public sealed class AttachmentStore(Microsoft.Extensions.Options.IOptions<StorageOptions> options, IHostEnvironment environment) : Core.IAttachmentContent
{
    private string Root
    {
        get
        {
            var path = options.Value.Path;
            return string.IsNullOrWhiteSpace(path) ? System.IO.Path.Combine(environment.ContentRootPath, ".data", "files") : path;
        }
    }

    public async Task<string> SaveAsync(byte[] content, CancellationToken ct)
    {
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var relative = System.IO.Path.Combine(name[..2], name);
        var full = System.IO.Path.Combine(Root, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, content, ct);
        return relative;
    }

    public async Task<string> SaveAsync(Stream content, CancellationToken ct)
    {
        var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var relative = System.IO.Path.Combine(name[..2], name);
        var full = System.IO.Path.Combine(Root, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        await using var file = File.Create(full);
        await content.CopyToAsync(file, ct);
        return relative;
    }

    public Stream Open(string relativePath) => File.OpenRead(FullPath(relativePath));

    /// <summary>The stored files last written before <paramref name="before"/> (UTC), as the relative paths rows keep.</summary>
    public IEnumerable<string> FilesWrittenBefore(DateTime before)
    {
        var root = new DirectoryInfo(Root);
        if (!root.Exists)
        {
            yield break;
        }
        foreach (var directory in root.EnumerateDirectories())
        {
            foreach (var file in directory.EnumerateFiles())
            {
                if (file.LastWriteTimeUtc < before)
                {
                    yield return System.IO.Path.Combine(directory.Name, file.Name);
                }
            }
        }
    }

    /// <summary>Removes a stored file; a file already gone is not an error.</summary>
    public void Delete(string relativePath) => File.Delete(FullPath(relativePath));

    private string FullPath(string relativePath)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, relativePath));
        if (!full.StartsWith(System.IO.Path.GetFullPath(Root), StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException("Attachment path escapes the storage root.");
        }
        return full;
    }

    public Stream OpenRead(Core.OutboundAttachment attachment) => Open(attachment.StoragePath);
}
