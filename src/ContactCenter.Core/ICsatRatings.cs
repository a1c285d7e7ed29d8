namespace ContactCenter.Core;

/// <summary>Stores satisfaction ratings (the host implements it).</summary>
public interface ICsatRatings
{
    Task<CsatOutcome> RateAsync(CsatAnswer answer, CancellationToken cancellationToken);
}
