namespace ContactCenter.Core;

public static class ChannelKinds
{
    public const string Api = "api";
    public const string Telegram = "telegram";
    public const string Sms = "sms";
    public const string Email = "email";
    public const string Webchat = "webchat";
    public const string Webform = "webform";
    public const string WhatsApp = "whatsapp";
    public const string Vk = "vk";
    public const string Voice = "voice";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Api, Telegram, Sms, Email, Webchat, Webform, WhatsApp, Vk, Voice };
}
