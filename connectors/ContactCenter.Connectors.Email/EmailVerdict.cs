using ContactCenter.Core;

namespace ContactCenter.Connectors.Email;

/// <summary>What the reader does with one email.</summary>
public abstract record EmailVerdict
{
    /// <summary>Not stored (our own mail, a non-failure delivery report).</summary>
    public sealed record Ignore(string Reason) : EmailVerdict;

    /// <summary>A delivery failure report (DSN) about one of our messages: that outbound message becomes failed.</summary>
    public sealed record Bounce(string OriginalMessageId, string Reason) : EmailVerdict;

    /// <summary>A customer email to store; the reader fills in the thread key from <see cref="ReferencedIds"/> / the subject token.</summary>
    public sealed record Store(InboundMessage Message, IReadOnlyList<string> ReferencedIds, long? TokenConversationId) : EmailVerdict;
}
