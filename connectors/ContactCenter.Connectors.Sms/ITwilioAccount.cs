namespace ContactCenter.Connectors.Sms;

/// <summary>The Twilio account a channel's settings name: sms and voice channels each hold one, and webhooks are signed with it.</summary>
public interface ITwilioAccount
{
    string AccountSid { get; }

    string AuthToken { get; }
}
