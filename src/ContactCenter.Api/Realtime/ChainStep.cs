using ContactCenter.Api.Features.Conversations;

namespace ContactCenter.Api.Realtime;

/// <summary>
/// A user's step on the <see cref="CounterChain"/>: <see cref="Current"/> is the newest value (the fresh read when
/// <see cref="Advanced"/>, else the newer stored one); <see cref="Previous"/> is what the chain held before.
/// </summary>
public sealed record ChainStep(long UserId, Counters Current, bool Advanced, Counters? Previous)
{
    /// <summary>The event that takes a client from <see cref="Previous"/> to <see cref="Current"/> (whole values without a previous one).</summary>
    public CountersChange Change => new(Current.Version, Previous?.Version, Current.Minus(Previous));
}
