using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;
using Ontzorging.IntegrationTests.Support;

using static Ontzorging.IntegrationTests.Web.BrowserPages;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// Issue 22's bank statements in a real Chromium (Debian's, through Playwright): dirk uploads the
/// sample statements through the page (dry run, then import), reconciles June to October, confirms a
/// suggestion, and every page of it passes axe (WCAG 2.1 AA). The site holds the sample
/// municipality, simulated March to November 2026, whose statements samples/bank/ are.
/// </summary>
[NonParallelizable]
public sealed class StatementBrowserTests
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

    private RunningSite site = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private string folder = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        folder = Directory.CreateTempSubdirectory("ontzorging-statement-browser-").FullName;
        site = await RunningSite.Start(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ontzorging:Web:UploadFolder"] = Path.Combine(folder, "uploads"),
        }), new NodaTime.YearMonth(2026, 11), SampleCopy.Samples, new NodaTime.YearMonth(2026, 3));
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
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task Dirk_uploads_the_sample_statements_dry_run_then_import_and_reconciles_June_to_October_with_nothing_unexplained_every_page_passing_axe()
    {
        var page = await SignedIn("dirk");
        await page.GotoAsync(site.Address + "/bankafschriften");
        await NoViolations(page);

        foreach (var file in Directory.GetFiles(Path.Combine(SampleCopy.Samples, "bank")).Order(StringComparer.Ordinal))
        {
            await page.GotoAsync(site.Address + "/bankafschriften");
            await page.Locator("#veld-file").SetInputFilesAsync(file);
            await page.Locator("#proefinlezen").ClickAsync();
            await Reached(page, $"{site.Address}/bankafschriften/inlezen");
            (await page.Locator("h1").InnerTextAsync()).Should().Be("Proef van het inlezen");
            if (file.EndsWith("abnamro-2026-08.TAB", StringComparison.Ordinal))
            {
                await NoViolations(page);
            }

            await page.Locator("#inlezen-bevestigen").ClickAsync();
            await Reached(page, $"{site.Address}/bankafschriften");
            (await page.Locator("#ingelezen").InnerTextAsync()).Should().Contain(Path.GetFileName(file));
        }

        await NoViolations(page);
        (await page.Locator("#imports tbody tr").CountAsync()).Should().BeGreaterThanOrEqualTo(5);

        await page.GotoAsync(site.Address + "/aansluiting?van=2026-06-01&tot=2026-10-31");
        (await page.Locator("#aansluiting-uitkomst").InnerTextAsync()).Should().Be("Aangesloten: elk verschil is verklaard.");
        (await page.Locator("#onverklaard-kop").CountAsync()).Should().Be(0);
        await NoViolations(page);

        // The same file again: the dry run says it adds nothing, and so does the import.
        await page.GotoAsync(site.Address + "/bankafschriften");
        await page.Locator("#veld-file").SetInputFilesAsync(Path.Combine(SampleCopy.Samples, "bank", "ing-2026-06.csv"));
        await page.Locator("#proefinlezen").ClickAsync();
        await Reached(page, $"{site.Address}/bankafschriften/inlezen");
        (await page.Locator("#niets-nieuw").InnerTextAsync()).Should().Contain("voegt niets toe");
        await page.Locator("#inlezen-bevestigen").ClickAsync();
        await Reached(page, $"{site.Address}/bankafschriften");
        (await page.Locator("#ingelezen").InnerTextAsync()).Should().Contain("er is niets toegevoegd");
    }

    [Test]
    public async Task A_refused_statement_and_a_suggestion_with_a_right_to_left_name_pass_axe_and_the_suggestion_is_confirmed_from_the_page()
    {
        var page = await SignedIn("dirk");
        var broken = Path.Combine(folder, "kapot.csv");
        await File.WriteAllLinesAsync(broken, ["account,booking_date,amount,counterparty_iban,counterparty_name,description,reference",
            "NL82BNGH0285010001,2026-11-31,10.00,,X,a,"]);
        await page.GotoAsync(site.Address + "/bankafschriften");
        await page.Locator("#veld-file").SetInputFilesAsync(broken);
        await page.Locator("#proefinlezen").ClickAsync();
        await Reached(page, $"{site.Address}/bankafschriften/inlezen");
        (await page.Locator("#fouten tbody tr").CountAsync()).Should().Be(1);
        await NoViolations(page);

        var arabic = Path.Combine(folder, "storting.csv");
        await File.WriteAllLinesAsync(arabic, ["account,booking_date,amount,counterparty_iban,counterparty_name,description,reference",
            "NL82BNGH0285010001,2026-11-19,88.00,NL91ABNA0417164300,فاطمة الزهراء,تحويل HH-0002 nabetaling,"]);
        await page.GotoAsync(site.Address + "/bankafschriften");
        await page.Locator("#veld-file").SetInputFilesAsync(arabic);
        await page.Locator("#proefinlezen").ClickAsync();
        await Reached(page, $"{site.Address}/bankafschriften/inlezen");
        await page.Locator("#inlezen-bevestigen").ClickAsync();
        await Reached(page, $"{site.Address}/bankafschriften");

        await page.GotoAsync(site.Address + "/suggesties");
        var section = page.Locator("section.suggestion", new() { HasText = "فاطمة الزهراء" });
        (await section.Locator("bdi", new() { HasText = "فاطمة الزهراء" }).CountAsync()).Should().Be(1, "the right-to-left name is isolated");
        await NoViolations(page);
        await section.Locator("input[name='zoek']").FillAsync("HH-0002");
        await section.GetByRole(AriaRole.Button, new() { Name = "Zoeken" }).ClickAsync();
        section = page.Locator("section.suggestion", new() { HasText = "فاطمة الزهراء" });
        await section.Locator("input[type='radio'][value='HH-0002']").CheckAsync();
        await section.Locator("select[name='Kind']").SelectOptionAsync("zorgtoeslag");
        await section.Locator("input[name='CoversFrom']").FillAsync("2026-09");
        await section.Locator("input[name='CoversTo']").FillAsync("2026-10");
        await NoViolations(page);
        await section.GetByRole(AriaRole.Button, new() { Name = "Bevestigen als ontvangst" }).ClickAsync();
        // The answer redirects to the list; the browser keeps the suggestion's fragment.
        await Reached(page, new System.Text.RegularExpressions.Regex("/suggesties(#[^?]*)?$"));
        (await page.Locator("p.notice").InnerTextAsync()).Should().Be("De regel is als ontvangst geboekt.");
        (await page.Locator("section.suggestion", new() { HasText = "فاطمة الزهراء" }).CountAsync()).Should().Be(0);
    }

    [TestCase("dirk", "/suggesties", TestName = "The suggestions page passes axe")]
    [TestCase("dirk", "/aansluiting", TestName = "The reconciliation form passes axe")]
    [TestCase("dirk", "/aansluiting?van=2026-06-31&tot=2026-05-01", TestName = "The reconciliation with refused dates passes axe")]
    [TestCase("anna", "/bankafschriften", TestName = "The bank statements page passes axe for a finance officer")]
    [TestCase("carla", "/aansluiting", TestName = "The reconciliation refused to a caseworker (403) passes axe")]
    public async Task Page_passes_axe(string login, string path)
    {
        var page = await SignedIn(login);

        await page.GotoAsync(site.Address + path);

        await NoViolations(page);
    }

    private async Task<IPage> SignedIn(string login)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "nl-NL" });
        var page = await context.NewPageAsync();
        return await SignIn(page, site.Address, login);
    }
}
