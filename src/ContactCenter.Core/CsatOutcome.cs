namespace ContactCenter.Core;

public enum CsatOutcome
{
    Recorded,

    /// <summary>This survey was answered already; the first answer stands.</summary>
    AlreadyRated,

    /// <summary>No such survey for this customer on this channel (or a rating outside 1-5).</summary>
    NotFound,
}
