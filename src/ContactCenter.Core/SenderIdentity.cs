namespace ContactCenter.Core;

/// <param name="Address">The identity on this kind of channel: a Telegram user id, an E.164 number, an email address, an api contact id.</param>
public sealed record SenderIdentity(
    string Address,
    string? DisplayName = null,
    string? Email = null,
    string? Phone = null,
    string? Username = null)
{
    /// <summary>
    /// The <see cref="Email"/> and <see cref="Phone"/> are only what an anonymous visitor typed (a web chat visitor, a web
    /// form), not proven by the channel the way a mailbox proves a sender's address or a phone network a number. The
    /// pipeline then never matches an existing contact on them — anyone could type a known customer's email and inherit
    /// their name, phone and deal — but makes a new contact (found later by <see cref="Address"/> as usual), flags its
    /// details as unverified so nobody else is matched onto it either, and records the contact they point at as a
    /// possible duplicate for a manager to merge. False (the default) keeps today's rule: identity, email, phone.
    /// </summary>
    public bool Unverified { get; init; }
}
