namespace ContactCenter.Web.Tests;

/// <summary>
/// The app with a public address (`Channels:PublicBaseUrl`, `WebChat:PublicBaseUrl`) that is not the browser's own
/// (the browser reaches it at 127.0.0.1 through the proxy), as behind a real reverse proxy.
/// </summary>
public sealed class ChannelWizardFixture : WebAppFixture
{
    public const string PublicBaseUrl = "https://cc.example.test";

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Channels:PublicBaseUrl"] = PublicBaseUrl;
        settings["WebChat:PublicBaseUrl"] = PublicBaseUrl;
        return settings;
    }
}
