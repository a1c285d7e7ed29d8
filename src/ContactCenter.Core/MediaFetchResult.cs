namespace ContactCenter.Core;

public abstract record MediaFetchResult
{
    /// <summary>The bytes were written; ContentType/FileName refine what the message said, when known.</summary>
    public sealed record Fetched(string? ContentType = null, string? FileName = null) : MediaFetchResult;

    public sealed record Retry(string Reason, TimeSpan? After = null) : MediaFetchResult;

    /// <summary>The file cannot be had (too big, expired): the attachment stays without content, with this reason logged.</summary>
    public sealed record Failed(string Reason) : MediaFetchResult;
}
