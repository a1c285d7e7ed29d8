using ContactCenter.Api.Features.Conversations;

namespace ContactCenter.Api.Features.Contacts;

/// <summary>
/// Everything about one person the caller may see: identities on every channel, and only the conversations, leads and
/// deals that pass the visibility rule (a manager never learns that a colleague's conversation with them exists).
/// </summary>
public sealed record ContactProfile(
    long Id, string Name, string? Email, string? Phone, IReadOnlyList<ContactIdentityDto> Identities,
    IReadOnlyList<ContactConversationItem> Conversations, IReadOnlyList<ContactLeadItem> Leads, IReadOnlyList<ContactDealItem> Deals)
{
    /// <summary>The company the contact works for (issue #17); null when none.</summary>
    public long? CompanyId { get; init; }

    public string? CompanyName { get; init; }

    /// <summary>Custom field values by key (issue #17).</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement> Fields { get; init; } = ContactCenter.Api.Features.Fields.FieldValues.Empty;

    /// <summary>The contact's own labels (PUT /api/contacts/{id}/labels), in name order.</summary>
    public ContactCenter.Api.Features.Labels.LabelList Labels { get; init; } = ContactCenter.Api.Features.Labels.LabelList.Empty;
}

public sealed record ContactConversationItem(long Id, long ChannelId, string ChannelName, string ChannelKind, string Status, string? AssigneeName, DateTime LastActivityAt);

public sealed record ContactLeadItem(long Id, string Title, string Status, string? AssigneeName, DateTime CreatedAt);

public sealed record ContactDealItem(long Id, string Title, decimal Amount, string Currency, string StageName, string? Outcome, string? AssigneeName, DateTime CreatedAt);
