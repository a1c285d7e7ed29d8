using Microsoft.AspNetCore.Http;

namespace ContactCenter.Connectors.Api;

/// <summary>Reads a webhook's raw body (signatures are over the exact bytes) with a hard size cap.</summary>
public static class RawBody
{
    public const int DefaultLimit = 1024 * 1024;

    /// <returns>The bytes, or null when the body is larger than the limit (answer 413).</returns>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken ct, int limit = DefaultLimit)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
