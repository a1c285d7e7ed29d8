namespace ContactCenter.Connectors.Sms;

/// <summary>Twilio's numeric error codes in words a manager understands (the code stays in brackets for support).</summary>
public static class TwilioErrors
{
    public const int OptedOut = 21610;

    private static readonly Dictionary<int, string> Reasons = new()
    {
        [20003] = "Twilio rejected the account SID or auth token",
        [20429] = "too many requests to Twilio",
        [21211] = "invalid 'To' phone number",
        [21408] = "sending to this country is not enabled on the Twilio account",
        [21606] = "the channel's number cannot send SMS to this destination",
        [21610] = "recipient opted out",
        [21612] = "the number cannot be reached by SMS",
        [21614] = "not a mobile number",
        [21617] = "the text is longer than 1600 characters",
        [30001] = "queue overflow at Twilio",
        [30002] = "the Twilio account is suspended",
        [30003] = "unreachable handset",
        [30004] = "message blocked by the recipient or carrier",
        [30005] = "unknown handset (the number may not exist)",
        [30006] = "landline or unreachable carrier",
        [30007] = "filtered by the carrier as spam",
        [30008] = "unknown carrier error",
        [30010] = "the price exceeds the channel's maximum",
        [30032] = "the toll-free number is not verified",
        [30034] = "the sending number is not registered for A2P 10DLC",
    };

    /// <summary>"unreachable handset (Twilio error 30003)"; for an unknown code "Twilio error 12345".</summary>
    public static string Describe(int code) =>
        Reasons.TryGetValue(code, out var reason) ? $"{reason} (Twilio error {code})" : $"Twilio error {code}";
}
