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

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
