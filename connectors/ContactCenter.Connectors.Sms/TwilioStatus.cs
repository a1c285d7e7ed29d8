using System.Globalization;

namespace ContactCenter.Connectors.Sms;

/// <summary>Twilio's MessageStatus values in the inbox's terms: sent, delivered, read, failed (with a readable reason).</summary>
public static class TwilioStatus
{
    public sealed record Update(string Status, string? Error);

    /// <returns>null for states that say nothing about an outbound message (receiving, received...).</returns>
    public static Update? Map(string messageStatus, string? errorCode) => messageStatus.ToLowerInvariant() switch
    {
        // Every state before the carrier's answer means "Twilio has it": that is `sent` in the inbox (one tick).
        "accepted" or "scheduled" or "queued" or "sending" or "sent" => new Update("sent", null),
        "delivered" => new Update("delivered", null),
        "read" => new Update("read", null),
        "undelivered" => new Update("failed", "Not delivered: " + Reason(errorCode)),
        "failed" => new Update("failed", "Failed: " + Reason(errorCode)),
        "canceled" => new Update("failed", "Not sent: the scheduled message was canceled."),
        _ => null,
    };

    private static string Reason(string? errorCode) =>
        int.TryParse(errorCode, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code > 0
            ? TwilioErrors.Describe(code) + "."
            : "the carrier gave no reason.";
}
