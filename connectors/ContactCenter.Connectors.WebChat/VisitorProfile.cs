namespace ContactCenter.Connectors.WebChat;

/// <summary>What a visitor told the widget (the session, the pre-chat or offline form); unverified.</summary>
public sealed class VisitorProfile
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
}
