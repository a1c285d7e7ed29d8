using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// A form body sent chunked (its length is not known up front), so a size limit can only refuse it while it is read.
/// </summary>
public sealed class StreamedForm : HttpContent
{
    private readonly byte[] bytes;

    /// <summary>`fields` then a `Body` field of <paramref name="bodyBytes"/> letters.</summary>
    public StreamedForm(string fields, int bodyBytes)
    {
        bytes = Encoding.ASCII.GetBytes(fields + "&Body=" + new string('a', bodyBytes));
        Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
    }

    /// <summary>
    /// Posts a streamed form the server will refuse part-way and returns its answer. A server that answers before reading
    /// the whole body and then closes may reset the connection while the rest is still being sent (the client's write
    /// fails with a broken pipe before it reads the answer: seen once in a full run); that attempt is made again, up to
    /// three times, so a server that never answers still fails the test.
    /// </summary>
    public static async Task<HttpResponseMessage> PostRefusedAsync(HttpClient http, string path, string fields, int bodyBytes)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var content = new StreamedForm(fields, bodyBytes);
            try
            {
                return await http.PostAsync(path, content);
            }
            catch (HttpRequestException e) when (attempt < 3 && e.InnerException is IOException)
            {
            }
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
