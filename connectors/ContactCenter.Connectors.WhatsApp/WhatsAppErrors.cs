namespace ContactCenter.Connectors.WhatsApp;

/// <summary>Cloud API error codes in words a manager understands (the code stays in brackets for support).</summary>
public static class WhatsAppErrors
{
    /// <summary>More than 24 hours since the customer last wrote: only a template may be sent.</summary>
    public const int ReEngagement = 131047;

    private static readonly Dictionary<int, string> Reasons = new()
    {
        [0] = "WhatsApp could not authenticate the request",
        [4] = "too many calls to the WhatsApp API",
        [10] = "the access token lacks the whatsapp_business_messaging permission",
        [100] = "a parameter is not valid",
        [190] = "the access token expired or is not valid",
        [80007] = "the WhatsApp Business Account's rate limit was reached",
        [130429] = "the phone number's throughput limit was reached",
        [131000] = "WhatsApp had an unknown problem",
        [131005] = "permission denied",
        [131008] = "a required parameter is missing",
        [131009] = "a parameter value is not valid",
        [131016] = "the WhatsApp service is temporarily unavailable",
        [131021] = "the recipient is the business's own number",
        [131026] = "the message is undeliverable (the number may not use WhatsApp, or has not accepted the terms)",
        [131031] = "the WhatsApp Business Account is locked",
        [131042] = "there is a payment problem on the WhatsApp Business Account",
        [131045] = "the phone number is not registered",
        [ReEngagement] = "more than 24 hours have passed since the customer last wrote (re-engagement message): only an approved template can be sent",
        [131048] = "the number was restricted for spam",
        [131049] = "Meta chose not to deliver it, to keep the customer's experience healthy",
        [131050] = "the customer stopped marketing messages from this business",
        [131051] = "the message type is not supported",
        [131052] = "the customer's media could not be downloaded",
        [131053] = "the media could not be uploaded",
        [131056] = "too many messages to this customer in a short time",
        [132000] = "the template's parameter count does not match",
        [132001] = "the template does not exist in this language or is not approved",
        [132005] = "the template's text is too long after filling in the parameters",
        [132007] = "the template breaks the format policy",
        [132012] = "the template's parameters are not in the expected format",
        [132015] = "the template is paused for low quality",
        [132016] = "the template is disabled",
        [133004] = "the WhatsApp server is temporarily unavailable",
        [133010] = "the phone number is not registered with the Cloud API",
        [368] = "the account is temporarily blocked for policy violations",
    };

    /// <summary>Codes that mean "later", whatever the HTTP status said.</summary>
    public static bool IsTransient(int code) => code is 4 or 80007 or 130429 or 131000 or 131016 or 131056 or 133004;

    /// <summary>"the message is undeliverable (WhatsApp error 131026)"; an unknown code keeps Meta's own title.</summary>
    public static string Describe(int code, string? title = null) =>
        Reasons.TryGetValue(code, out var reason) ? $"{reason} (WhatsApp error {code})"
        : string.IsNullOrWhiteSpace(title) ? $"WhatsApp error {code}" : $"{title.TrimEnd('.')} (WhatsApp error {code})";
}
