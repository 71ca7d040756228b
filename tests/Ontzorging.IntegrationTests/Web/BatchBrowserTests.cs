using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.IntegrationTests.Support;

using static Ontzorging.IntegrationTests.Web.BrowserPages;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The batch pages in a real Chromium (issue 22): anna prepares November after the simulated
/// April to October and cannot approve it; bob acknowledges every exception and approves by
/// keyboard alone, then downloads a pain.001 that validates; a creditor's new account shows first
/// and in red; a caseworker is refused; and every state of every page passes axe (WCAG 2.1 AA).
/// The officer's month is one test, its steps in order.
/// </summary>
[NonParallelizable]
public sealed class BatchBrowserTests
{
    private const string NewAccount = NovemberCase.NewEnergyAccount;

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

    private RunningSite site = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private string folder = "";
    private string batchPath = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        site = await RunningSite.Start();
        folder = Directory.CreateTempSubdirectory("ontzorging-batch-browser-").FullName;

        await NovemberCase.Import(site);

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
    public async Task Anna_prepares_November_bob_sees_the_changed_account_first_acknowledges_and_approves_by_keyboard_and_downloads_a_valid_pain001()
    {
        await Anna_prepares_November_from_the_page_after_its_preview_and_cannot_approve_it();
        await A_creditor_s_changed_account_shows_first_on_the_batch_page_and_in_red();
        await Bob_acknowledges_every_exception_and_approves_by_keyboard_alone();
        await The_downloaded_pain001_validates_against_its_schema();
        await A_refused_settlement_date_passes_axe();
    }

    private async Task Anna_prepares_November_from_the_page_after_its_preview_and_cannot_approve_it()
    {
        var page = await SignedIn("anna");
        await page.GotoAsync(site.Address + "/betalingen");
        await NoViolations(page);

        await page.Locator("#veld-month").FillAsync("2026-11");
        await page.Locator("#voorbeeld").ClickAsync();
        (await page.Locator("#preview-late").InnerTextAsync()).Should().MatchRegex(@"^\d+ termijnen worden te laat uitgevoerd$");
        (await page.Locator("#preview-reason").InnerTextAsync()).Should().Contain("niet zonder reden", "November's preparation day lies weeks back");
        await NoViolations(page);

        await page.Locator("#veld-reason").FillAsync("prepared after the simulated months");
        await page.Locator("#voorbeeld").ClickAsync();
        await page.Locator("#voorbereiden").ClickAsync();
        await Reached(page, new System.Text.RegularExpressions.Regex("/betalingen/\\d+$"));
        batchPath = new Uri(page.Url).AbsolutePath;

        (await page.Locator("#batch-status").InnerTextAsync()).Should().Be("concept");
        (await page.Locator("#goedkeuren").IsDisabledAsync()).Should().BeTrue();
        (await page.Locator("#approve-blocked").InnerTextAsync()).Should().Contain("vier ogen");
        (await page.Locator(".ack-button").CountAsync()).Should().Be(0, "the preparer does not acknowledge her own batch's exceptions");
        await NoViolations(page);
    }

    private async Task A_creditor_s_changed_account_shows_first_on_the_batch_page_and_in_red()
    {
        var page = await SignedIn("bob");
        await page.GotoAsync(site.Address + batchPath);

        var warning = page.Locator("#iban-changes");
        (await warning.InnerTextAsync()).Should().Contain("HH-A").And.Contain(NovemberCase.OldEnergyAccount).And.Contain(NewAccount);
        (await page.EvaluateAsync<bool>("() => { const w = document.querySelector('#iban-changes'); const f = document.querySelector('.facts'); return (w.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0; }"))
            .Should().BeTrue("the changed account comes before everything else the approver reads");
        (await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#iban-changes')).borderTopColor")).Should().Be("rgb(179, 0, 0)");
        (await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#kop-iban')).color")).Should().Be("rgb(138, 0, 0)");
        (await page.Locator("#new-creditors").InnerTextAsync()).Should().Contain(NewAccount);
    }

    private async Task Bob_acknowledges_every_exception_and_approves_by_keyboard_alone()
    {
        var page = await SignedIn("bob");
        await page.GotoAsync(site.Address + batchPath);
        await NoViolations(page);

        for (var left = await page.Locator(".ack-button").CountAsync(); left > 0; left--)
        {
            await TabTo(page, ".ack-button");
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForFunctionAsync($"() => document.querySelectorAll('.ack-button').length === {left - 1}");
        }

        (await page.Locator("#goedkeuren").IsDisabledAsync()).Should().BeFalse();
        await NoViolations(page);
        await TabTo(page, "#goedkeuren");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.querySelector('#batch-status').textContent === 'goedgekeurd'");

        (await page.Locator("[role=status]").First.InnerTextAsync()).Should().Be("De batch is goedgekeurd.");
        (await site.Database.Scalar<string>($"SELECT approved_by FROM batches WHERE id = {batchPath.Split('/')[^1]}")).Should().Be("oidc:dev-bob");
        await NoViolations(page);
    }

    private async Task The_downloaded_pain001_validates_against_its_schema()
    {
        var page = await SignedIn("bob");
        await page.GotoAsync(site.Address + batchPath);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#downloaden").ClickAsync());
        var file = Path.Combine(folder, "download.xml");
        await download.SaveAsAsync(file);

        download.SuggestedFilename.Should().StartWith("OZ-202611-B");
        Pain001Schemas.Validate(file, Pain001Version.V09).Should().BeEmpty();
        await page.GotoAsync(site.Address + batchPath);
        (await page.Locator("#batch-status").InnerTextAsync()).Should().Be("geëxporteerd");
        await NoViolations(page);
    }

    [Test]
    public async Task Unreadable_input_answers_next_to_its_field_and_passes_axe()
    {
        var page = await SignedIn("anna");
        await page.GotoAsync(site.Address + "/betalingen?van=juni");
        (await page.Locator("#fout-van").InnerTextAsync()).Should().Contain("geen maand");
        await NoViolations(page);

        await page.GotoAsync(site.Address + "/betalingen");
        await page.Locator("#veld-month").FillAsync("november");
        await page.Locator("#voorbeeld").ClickAsync();
        (await page.Locator("#fout-month").InnerTextAsync()).Should().Contain("geen maand");
        await NoViolations(page);
    }

    private async Task A_refused_settlement_date_passes_axe()
    {
        var page = await SignedIn("bob");
        await page.GotoAsync(site.Address + batchPath);
        await page.Locator("#veld-through").FillAsync("morgen");
        await page.Locator("#afhandelen").ClickAsync();
        (await page.Locator("#fout-through").InnerTextAsync()).Should().Contain("morgen");
        await NoViolations(page);
    }

    [TestCase("/betalingen")]
    [TestCase("/betalingen/1")]
    public async Task A_caseworker_is_refused_every_batch_page_and_the_refusal_passes_axe(string path)
    {
        var page = await SignedIn("carla");

        var response = await page.GotoAsync(site.Address + path);

        response!.Status.Should().Be(403);
        await NoViolations(page);
    }

    private async Task<IPage> SignedIn(string login)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "nl-NL", AcceptDownloads = true });
        var page = await context.NewPageAsync();
        return await SignIn(page, site.Address, login);
    }
}
