using Microsoft.Playwright;

using static Ontzorging.IntegrationTests.Web.BrowserPages;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The site in a real Chromium (Debian's, driven by Playwright): signing in through the provider's
/// own page as each role, every page checked by axe for WCAG 2.1 AA, and a decision recorded by
/// keyboard alone.
/// </summary>
public sealed class BrowserTests
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

    private RunningSite site = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        site = await RunningSite.Start();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("ONTZORGING_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await site.DisposeAsync();
    }

    [Test]
    public async Task Carla_signs_in_through_the_provider_and_reaches_the_household_page()
    {
        var page = await NewPage();

        await page.GotoAsync($"{site.Address}/huishoudens/HH-A");
        await page.GetByRole(AriaRole.Link, new() { Name = "Inloggen" }).ClickAsync();
        await page.Locator("#username").FillAsync("carla");
        await page.Locator("#password").FillAsync(RunningSite.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();

        await Reached(page, $"{site.Address}/huishoudens/HH-A");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Huishouden HH-A");
        (await page.Locator("#maand-2026-06 td").Nth(6).InnerTextAsync()).Should().Be("€ 321,99", "credit outstanding after June, worked example A");
        (await page.Locator("#maand-2026-07 td").Nth(5).InnerTextAsync()).Should().Be("€ 321,99", "repaid in July from the back-payment");
        (await page.Locator("svg#story-chart").CountAsync()).Should().Be(1);
    }

    [TestCase("carla", "/huishoudens", TestName = "The worklist passes axe")]
    [TestCase("carla", "/huishoudens/HH-A", TestName = "The household page passes axe")]
    [TestCase("carla", "/huishoudens/HH-A/besluit", TestName = "The decision form passes axe")]
    [TestCase("carla", "/huishoudens/HH-A?op=2026-06-01&wat_als=1&extension_months=2", TestName = "The household page with a what-if side by side passes axe")]
    [TestCase("carla", "/huishoudens/HH-A?op=2026-06-01&wat_als=1&extension_months=13&write_off=abc", TestName = "The household page with a refused what-if passes axe")]
    [TestCase("carla", "/", TestName = "The start page passes axe")]
    [TestCase("carla", "/betalingen", TestName = "The page for another role (403) passes axe")]
    [TestCase("anna", "/betalingen", TestName = "The batch list passes axe")]
    [TestCase("dirk", "/logboek", TestName = "The audit log passes axe")]
    [TestCase("dirk", "/logboek?van=31-12-2026", TestName = "The audit log with a refused filter passes axe")]
    [TestCase("beheer", "/beheer", TestName = "The operations page passes axe")]
    public async Task Page_passes_axe(string login, string path)
    {
        var page = await SignedIn(login);

        await page.GotoAsync(site.Address + path);

        await NoViolations(page);
    }

    [Test]
    public async Task The_sign_in_pages_pass_axe_in_Dutch_and_English()
    {
        var page = await NewPage();
        await page.GotoAsync(site.Address + "/aanmelden");
        await NoViolations(page);
        await page.GotoAsync(site.Address + "/idp/login");
        await NoViolations(page);

        await page.GotoAsync(site.Address + "/aanmelden");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Sign in to Ontzorging");
        (await page.Locator("html").GetAttributeAsync("lang")).Should().Be("en");
        await NoViolations(page);
    }

    [Test]
    public async Task The_household_page_with_a_refused_decision_and_the_full_BSNs_pass_axe()
    {
        var page = await SignedIn("carla");
        await page.GotoAsync(site.Address + "/huishoudens/HH-A/besluit");
        await page.Locator("#veld-kind").SelectOptionAsync("extension");
        await page.Locator("#veld-months").FillAsync("13");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vastleggen" }).ClickAsync();
        (await page.Locator("#fout-months").InnerTextAsync()).Should().Be("een verlenging is 1 tot en met 12 hele maanden", "the refusal is said in the page's language");
        await NoViolations(page);

        await page.GotoAsync(site.Address + "/huishoudens/HH-A");
        await page.GetByRole(AriaRole.Button, new() { Name = "BSN's volledig tonen" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).Should().StartWith("Volledige BSN's");
        await NoViolations(page);
    }

    [Test]
    public async Task A_caseworker_records_a_decision_by_keyboard_alone()
    {
        var page = await NewPage();
        await page.GotoAsync(site.Address + "/huishoudens/HH-A");
        await TabTo(page, "a[href^='/aanmelden/start']");
        await page.Keyboard.PressAsync("Enter");
        await Reached(page, "**/idp/login**");
        await TabTo(page, "#username");
        await page.Keyboard.TypeAsync("carla");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(RunningSite.Password);
        await page.Keyboard.PressAsync("Enter");
        await Reached(page, $"{site.Address}/huishoudens/HH-A");

        await TabTo(page, "a[href='/huishoudens/HH-A/besluit']");
        await page.Keyboard.PressAsync("Enter");
        await Reached(page, "**/besluit");
        await TabTo(page, "#veld-kind");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown"); // the fourth kind: ZRM score
        await TabTo(page, "#veld-date");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("2026-10-20");
        await TabTo(page, "#veld-score");
        await page.Keyboard.TypeAsync("5");
        await TabTo(page, "#veld-reason");
        await page.Keyboard.TypeAsync("keyboard only");
        await TabTo(page, "#besluit-opslaan");
        await page.Keyboard.PressAsync("Enter");

        await Reached(page, $"{site.Address}/huishoudens/HH-A");
        (await page.Locator("#decisions").InnerTextAsync()).Should().Contain("keyboard only").And.Contain("Carla de Vries");
        (await site.Database.Scalar<string>("SELECT recorded_by FROM decisions WHERE reason = 'keyboard only'")).Should().Be("oidc:dev-carla");
    }

    private async Task<IPage> NewPage()
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "nl-NL" });
        return await context.NewPageAsync();
    }

    private async Task<IPage> SignedIn(string login)
    {
        var page = await NewPage();
        return await SignIn(page, site.Address, login);
    }
}
