using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// What every browser test does alike: sign a person in through the development provider's own form,
/// reach an element with the Tab key as a keyboard user would, and check a page with axe (WCAG 2.1 AA).
/// </summary>
internal static class BrowserPages
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

    /// <summary>Debian's Chromium (or <c>ONTZORGING_CHROMIUM</c>), headless, as every browser test drives it.</summary>
    public static Task<IBrowser> Launch(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("ONTZORGING_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });

    /// <summary>Signs <paramref name="login"/> in on <paramref name="page"/> and waits for the start page.</summary>
    public static async Task<IPage> SignIn(IPage page, string address, string login)
    {
        await page.GotoAsync($"{address}/aanmelden/start?returnUrl=%2F");
        await page.Locator("#username").FillAsync(login);
        await page.Locator("#password").FillAsync(RunningSite.Password);
        await page.Locator("button[type='submit']").ClickAsync();
        await Reached(page, $"{address}/");
        return page;
    }

    /// <summary>
    /// Waits until <paramref name="page"/> has navigated to <paramref name="url"/> (a glob or an
    /// exact address) and that document has loaded. Waiting for the address's commit and then polling
    /// the document's readyState, rather than Playwright's own load-state wait, avoids a race in the
    /// .NET client: a load event arriving between its check and its subscription was missed, and
    /// the wait then timed out after 30 s on a page that had long loaded.
    /// </summary>
    public static Task Reached(IPage page, string url) =>
        Loaded(page.WaitForURLAsync(url, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit }), page);

    /// <inheritdoc cref="Reached(IPage, string)"/>
    public static Task Reached(IPage page, System.Text.RegularExpressions.Regex url) =>
        Loaded(page.WaitForURLAsync(url, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit }), page);

    private static async Task Loaded(Task committed, IPage page)
    {
        await committed;
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
    }

    /// <summary>Presses Tab until the element is focused, as a keyboard user would.</summary>
    public static async Task TabTo(IPage page, string selector)
    {
        for (var i = 0; i < 120; i++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement !== null && document.activeElement.matches(s)", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"{selector} cannot be reached with the Tab key");
    }

    /// <summary>Runs axe on the page as it is now and names every violation of WCAG 2.1 AA.</summary>
    public static async Task NoViolations(IPage page)
    {
        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        results.Violations.Should().BeEmpty("{0} must pass axe (WCAG 2.1 AA): {1}", page.Url,
            string.Join("; ", results.Violations.Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }
}
