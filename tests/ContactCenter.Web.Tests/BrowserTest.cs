using Microsoft.Playwright;
using WireMock.Server;

namespace ContactCenter.Web.Tests;

/// <summary>A browser test class: a fresh page (own context and storage) per test, and a suffix that keeps each test's data apart.</summary>
public abstract class BrowserTest(WebAppFixture fx) : IClassFixture<WebAppFixture>, IAsyncLifetime
{
    protected WebAppFixture Fx { get; } = fx;

    protected string Suffix { get; } = Guid.NewGuid().ToString("N")[..8];

    protected IPage Page { get; private set; } = null!;

    /// <summary>A stand-in for an integration's callback URL (started on first use, stopped after the test).</summary>
    protected WireMockServer Callback => callback ??= WireMockServer.Start();

    private WireMockServer? callback;

    public async Task InitializeAsync()
    {
        Page = await Fx.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Page.Context.CloseAsync();
        callback?.Stop();
    }

    /// <summary>Keeps a picture of the page in the test output (bin/.../screens) to look at after a run.</summary>
    protected Task Screenshot(string name) =>
        Page.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ArtifactsDir, $"{name}.png") });
}
