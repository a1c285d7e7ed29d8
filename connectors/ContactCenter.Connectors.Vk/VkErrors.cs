using ContactCenter.Core;

namespace ContactCenter.Connectors.Vk;

/// <summary>VK API error codes in plain words, and which of them are worth another try.</summary>
public static class VkErrors
{
    /// <summary>`metadata.notice` of the conversation note that says the customer denied messages from the community.</summary>
    public const string DeniedNotice = "vk.denied";

    public const string DeniedText = "The customer denied messages from the community: replies cannot be delivered until they allow messages again.";

    public const string AllowedNotice = "vk.allowed";

    public const string AllowedText = "The customer allowed messages from the community: replies can be delivered again.";

    /// <summary>The outcome of a send that VK refused with <paramref name="ex"/>.</summary>
    public static SendOutcome Classify(VkApiException ex) => ex switch
    {
        { HttpStatus: 429 or >= 500 } => new SendOutcome.Retry($"VK answered HTTP {ex.HttpStatus}."),
        { HttpStatus: not null } => new SendOutcome.Failed($"VK refused the request (HTTP {ex.HttpStatus})."),
        { Code: 6 } => new SendOutcome.Retry("VK: too many requests per second (6).", TimeSpan.FromSeconds(1)),
        { Code: 9 } => new SendOutcome.Retry("VK: flood control (9), too many messages in a short time.", TimeSpan.FromSeconds(2)),
        { Code: 10 } => new SendOutcome.Retry("VK had an internal server error (10)."),
        { Code: 1 } => new SendOutcome.Retry($"VK had an unknown error (1): {ex.Message}"),
        { Code: 5 } => new SendOutcome.Failed("VK rejected the community access token (5): create a new one in the community's settings (Work with API) and save it on the channel."),
        { Code: 27 or 7 or 15 } => new SendOutcome.Failed($"VK does not let this token send messages ({ex.Code}: {ex.Message}): the token needs the \"community messages\" permission and community messages must be on."),
        { Code: 901 } => new SendOutcome.Failed("VK: the customer has not allowed messages from the community (901: can't send messages for users without permission)."),
        { Code: 902 } => new SendOutcome.Failed("VK: the customer's privacy settings do not allow messages from this community (902)."),
        { Code: 900 } => new SendOutcome.Failed("VK: the customer has blacklisted the community (900)."),
        { Code: 914 } => new SendOutcome.Failed("VK: the message is too long (914)."),
        { Code: 913 } => new SendOutcome.Failed("VK: too many forwarded messages (913)."),
        { Code: 100 } => new SendOutcome.Failed($"VK refused a parameter of the message (100): {ex.Message}"),
        _ => new SendOutcome.Failed($"VK refused the message ({ex.Code}): {ex.Message}"),
    };

    /// <summary>A refusal that stops every later reply too, for the conversation's note; null otherwise.</summary>
    public static (string Key, string Text)? Notice(VkApiException ex) => ex.Code switch
    {
        901 => (DeniedNotice, DeniedText),
        902 => ("vk.privacy", "The customer's VK privacy settings do not allow messages from this community: replies cannot be delivered."),
        900 => ("vk.blacklisted", "The customer has blacklisted the community on VK: replies cannot be delivered."),
        _ => null,
    };

    /// <summary>Words for the channel's status after a failed credential check.</summary>
    public static string SetupProblem(VkApiException ex) => ex switch
    {
        { HttpStatus: not null } => $"VK answered HTTP {ex.HttpStatus} to the token check.",
        { Code: 5 } => "VK rejected the access token (5: user authorization failed): create a community token in Manage → Work with API and paste it again.",
        { Code: 27 } => $"VK refused the check with this token (27: {ex.Message}).",
        _ => $"VK refused the token check ({ex.Code}: {ex.Message}).",
    };
}
