using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Playwright;

namespace ContactCenter.Web.Tests;

/// <summary>
/// The real app (real Kestrel, PostgreSQL, Redis) serving the built web app, reached by the browser through a
/// TCP proxy that a test can cut to drop the hub. Pages open in contexts of the run's one shared Chromium
/// (<see cref="SharedBrowser"/>); the contexts made here are closed with the fixture at the latest.
/// </summary>
public class WebAppFixture : AppFixture
{
    // OpenSignedInAsync's sessions, numbered so that the latest one put into a page wins.
    private static long seeds;

    private readonly List<IBrowserContext> contexts = [];

    public TcpProxy Proxy { get; private set; } = null!;

    /// <summary>The address the browser uses (through <see cref="Proxy"/>).</summary>
    public string BaseUrl { get; private set; } = "";

    public static string WebRoot => Path.Combine(WebBuild.RepoRoot, "src", "ContactCenter.Api", "wwwroot");

    public static string ArtifactsDir { get; } = Path.Combine(AppContext.BaseDirectory, "screens");

    public override async Task InitializeAsync()
    {
        // Pages wait on the server's outbox and pushes; on a loaded 2-core CI machine 5 s is too tight.
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(20_000);
        WebBuild.EnsureBuilt();
        await base.InitializeAsync();
        Proxy = new TcpProxy("127.0.0.1", App.BaseAddress.Port);
        BaseUrl = $"http://127.0.0.1:{Proxy.Port}";
        Directory.CreateDirectory(ArtifactsDir);
    }

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["webroot"] = WebRoot;
        return settings;
    }

    public override async Task DisposeAsync()
    {
        // A context a failed test left open would keep its pages (and their hub reconnects) running in the shared browser.
        List<IBrowserContext> open;
        lock (contexts)
        {
            open = [.. contexts];
        }
        foreach (var context in open)
        {
            await context.CloseAsync();
        }
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    /// <summary>Signs in on the sign-in form shown at <paramref name="path"/> and waits until the hub is connected.</summary>
    public async Task SignInAsync(IPage page, string email, string password = "password-1234", string path = "/", bool waitForHub = true)
    {
        await page.GotoAsync(BaseUrl + path);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await WaitSignedInAsync(page, waitForHub);
    }

    /// <summary>
    /// Opens <paramref name="path"/> already signed in, as a user coming back finds it: the session the sign-in form stores
    /// (the answer of the same login call) is in the page's storage before the app starts. For tests that are not about
    /// signing in, which <see cref="SignInAsync"/> covers through the form; waits the same way until the hub is connected.
    /// </summary>
    public async Task OpenSignedInAsync(IPage page, string email, string password = "password-1234", string path = "/")
    {
        using var http = App.Http();
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        var session = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"login of {email}: {(int)response.StatusCode} {session}");
        // Stored by the first document of the app's origin only (the keys of src/ContactCenter.Web/src/session.tsx): a later
        // sign-out or ended session stays as the app leaves it, and a later call on the same page (higher seed) wins.
        var seed = Interlocked.Increment(ref seeds);
        await page.AddInitScriptAsync($$"""
            (() => {
              if (location.origin !== {{JsonSerializer.Serialize(BaseUrl)}} || Number(localStorage.getItem('cc.test.seed')) >= {{seed}}) return;
              localStorage.setItem('cc.test.seed', '{{seed}}');
              localStorage.setItem('cc.session', {{JsonSerializer.Serialize(session)}});
              localStorage.setItem('cc.lastEmail', {{JsonSerializer.Serialize(email)}});
            })();
            """);
        await page.GotoAsync(BaseUrl + path);
        await WaitSignedInAsync(page, waitForHub: true);
    }

    private static async Task WaitSignedInAsync(IPage page, bool waitForHub)
    {
        // Signed in: the header is there (on a phone its Sign out button waits folded in the menu, attached but hidden).
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", IncludeHidden = true }).WaitForAsync(new() { State = WaitForSelectorState.Attached });
        if (waitForHub)
        {
            // The hub has joined its groups (its `Ready` answered, not only the handshake) before the test makes anything happen.
            await page.WaitForFunctionAsync("() => window.__cc && window.__cc.hub.status.state === 'connected'");
        }
    }

    /// <summary>Calls the API as <paramref name="token"/>'s user; asserts success and returns the JSON answer (null for none).</summary>
    public async Task<JsonNode?> ApiAsync(string token, HttpMethod method, string path, object? body = null)
    {
        using var http = App.Http(token);
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>A fresh browser context (own storage) in the shared browser, closed with this fixture if the test does not.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var browser = await SharedBrowser.GetAsync();
        var context = await browser.NewContextAsync(options);
        lock (contexts)
        {
            contexts.Add(context);
        }
        context.Close += (_, closed) =>
        {
            lock (contexts)
            {
                contexts.Remove(closed);
            }
        };
        return context;
    }

    /// <summary>A fresh browser context (own storage) and a page in it.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 860 }, Locale = "en-GB" });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return page;
    }
}

/// <summary>
/// The browser tests need the built app in src/ContactCenter.Api/wwwroot. ./test.sh builds it (build_web) before
/// the .NET build; when it is missing (a plain `dotnet test`), it is built here the same way.
/// </summary>
public static class WebBuild
{
    private static readonly Lock Gate = new();

    public static string RepoRoot { get; } = FindRepoRoot();

    public static void EnsureBuilt()
    {
        lock (Gate)
        {
            if (File.Exists(Path.Combine(WebAppFixture.WebRoot, "index.html")))
            {
                return;
            }
            var web = Path.Combine(RepoRoot, "src", "ContactCenter.Web");
            Run(web, File.Exists(Path.Combine(web, "node_modules", ".package-lock.json")) ? "--version" : "ci --no-audit --no-fund");
            Run(web, "run build");
            if (!File.Exists(Path.Combine(WebAppFixture.WebRoot, "index.html")))
            {
                throw new InvalidOperationException($"The web app build did not produce {WebAppFixture.WebRoot}/index.html.");
            }
        }
    }

    private static void Run(string directory, string arguments)
    {
        var info = new ProcessStartInfo("npm", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("npm could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm {arguments} failed in {directory}:\n{stdout.Result}\n{stderr.Result}");
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ContactCenter.sln not found above " + AppContext.BaseDirectory);
    }
}
