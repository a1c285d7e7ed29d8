using Microsoft.Playwright;

namespace ContactCenter.Web.Tests;

/// <summary>
/// One headless Chromium (the system's chromium-headless-shell, or its full chromium; never downloaded) for the whole test run, started on first use and closed when the
/// test process exits. Starting Playwright's driver and a browser takes seconds, which every test class paid before; each
/// test still gets contexts of its own (<see cref="WebAppFixture.NewContextAsync"/>), so no storage is shared.
/// </summary>
public static class SharedBrowser
{
    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"];

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? playwright;
    private static IBrowser? browser;

    public static async Task<IBrowser> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            // A browser that crashed is replaced, so one crash fails one test rather than the rest of the run.
            if (browser is { IsConnected: true })
            {
                return browser;
            }
            if (playwright is null)
            {
                playwright = await Playwright.CreateAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Close();
            }
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("CC_TEST_CHROMIUM") ?? (File.Exists("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell" : "/usr/bin/chromium"),
                Headless = true,
                Args = ChromiumArgs,
            });
            return browser;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void Close()
    {
        try
        {
            browser?.CloseAsync().Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Already gone; the driver below ends it in any case.
        }
        playwright?.Dispose();
    }
}
