namespace ContactCenter.Connectors.WebChat.Sites;

/// <summary>How a pre-chat field is asked: `required`, `optional` or `off`.</summary>
public sealed record PreChatForm(bool Enabled, string Name, string Email, string Phone)
{
    public static readonly PreChatForm Off = new(false, "off", "off", "off");

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, string> Fields => new Dictionary<string, string> { ["name"] = Name, ["email"] = Email, ["phone"] = Phone };

    public bool Requires(string field) => Enabled && Fields[field] == "required";
}
