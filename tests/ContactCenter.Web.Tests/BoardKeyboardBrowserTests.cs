using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ContactCenter.Web.Tests;

/// <summary>The deals board without a mouse (dnd-kit's keyboard sensor): lift with Space, arrows, drop with Space; a screen reader hears each step.</summary>
public sealed class BoardKeyboardBrowserTests(WebAppFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task A_deal_is_moved_to_the_next_stage_with_the_keyboard_alone_and_each_step_is_announced()
    {
        var manager = await Fx.CreateUserAsync("kbd" + Suffix, "manager");
        var pipelineName = "Keys " + Suffix;
        var pipeline = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/pipelines", new
        {
            name = pipelineName,
            stages = new[] { new { name = "New", semantic = "open" }, new { name = "Talks", semantic = "open" }, new { name = "Won", semantic = "won" }, new { name = "Lost", semantic = "lost" } },
        }))!;
        var stageIds = pipeline["stages"]!.AsArray().Select(s => s!["id"]!.GetValue<long>()).ToArray();
        var (newStage, talks) = (stageIds[0], stageIds[1]);
        var title = "Chairs " + Suffix;
        var chairs = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Post, "/api/deals", new
        {
            title, amount = 1000m, currency = "USD", pipelineId = pipeline["id"]!.GetValue<long>(), stageId = newStage, assigneeId = manager.Id,
        }))!["id"]!.GetValue<long>();

        await Fx.OpenSignedInAsync(Page, manager.Email, path: "/deals");
        await Page.GetByLabel("Pipeline").SelectOptionAsync(new SelectOptionValue { Label = pipelineName });
        var newColumn = Page.Locator($".board .column[data-stage-id='{newStage}']");
        var talksColumn = Page.Locator($".board .column[data-stage-id='{talks}']");
        // dnd-kit's live region (role=status, aria-live=assertive): what a screen reader says.
        var announced = Page.Locator("[id^='DndLiveRegion']");

        var handle = newColumn.GetByRole(AriaRole.Button, new() { Name = $"Move {title}" });
        await Expect(handle).ToHaveAttributeAsync("aria-roledescription", "draggable");
        await handle.FocusAsync();
        await Page.Keyboard.PressAsync("Space");
        await Expect(announced).ToHaveTextAsync($"Picked up {title} in New.");
        await Page.Keyboard.PressAsync("ArrowRight");
        await Expect(announced).ToHaveTextAsync($"{title} is over Talks.");
        // The drop sends the move to the server: wait for that answer, not for time.
        var patched = await Page.RunAndWaitForResponseAsync(() => Page.Keyboard.PressAsync("Space"),
            r => r.Request.Method == "PATCH" && r.Url.EndsWith($"/api/deals/{chairs}", StringComparison.Ordinal));
        Assert.True(patched.Ok, $"PATCH answered {patched.Status}");
        await Expect(announced).ToHaveTextAsync($"{title} dropped on Talks.");

        await Expect(talksColumn.Locator($"[data-deal-id='{chairs}']")).ToBeVisibleAsync();
        await Expect(newColumn.Locator($"[data-deal-id='{chairs}']")).ToHaveCountAsync(0);
        await Expect(talksColumn.GetByTestId("column-count")).ToHaveTextAsync("Deals: 1");
        await Expect(newColumn.GetByTestId("column-count")).ToHaveTextAsync("Deals: 0");

        // The server stored the move: the API and a reload both have the deal in Talks.
        var stored = (await Fx.ApiAsync(Fx.AdminToken, HttpMethod.Get, $"/api/deals/{chairs}"))!;
        Assert.Equal(talks, stored["stage"]!["id"]!.GetValue<long>());
        await Page.ReloadAsync();
        await Page.GetByLabel("Pipeline").SelectOptionAsync(new SelectOptionValue { Label = pipelineName });
        await Expect(talksColumn.Locator($"[data-deal-id='{chairs}']")).ToBeVisibleAsync();
    }
}
