namespace ContactCenter.Core.Net;

/// <summary>
/// Reads a webhook's raw body (signatures are over the exact bytes) with a hard size cap. Every connector's webhook uses
/// it (the api channel, Telegram, VK, WhatsApp); it takes the request's body stream and declared length so that Core
/// needs no ASP.NET Core reference.
/// </summary>
public static class RawBody
{
    public const int DefaultLimit = 1024 * 1024;

    /// <returns>The bytes, or null when the body is (or declares itself) larger than the limit: answer 413.</returns>
    public static async Task<byte[]?> ReadAsync(Stream body, long? contentLength, CancellationToken ct, int limit = DefaultLimit)
    {
        if (contentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
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
