using System.Net;
using AngleSharp.Html.Parser;
using Dapper;
using Microsoft.Playwright;
using NodaTime;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The monthly statement's page (docs/rules.md §17): worked example A with Arabic as its language,
/// in Dutch and Arabic blocks with their own lang and dir, a staff-only note of the translations'
/// review that never prints, and axe.
/// </summary>
public sealed class MonthlyStatementPageTests
{
    private const string July = "/huishoudens/HH-A/overzicht/2026-07";

    private RunningSite site = null!;
    private ScratchFolder input = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        input = new ScratchFolder();
        var arabic = IntakeCopy.WithLanguage(Path.Combine(RepositoryPaths.Docs("examples"), "A", "input"), input.Sub("a"), "HH-A", "ar");
        site = await RunningSite.Start(input: arabic, through: new YearMonth(2026, 8));
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("ONTZORGING_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await site.DisposeAsync();
        input.Dispose();
    }

    [Test]
    public async Task The_statement_page_shows_a_Dutch_and_an_Arabic_block_each_with_its_lang_and_dir_and_a_staff_note()
    {
        using var carla = await site.SignedIn("carla");

        var document = new HtmlParser().ParseDocument(await carla.GetStringAsync(July));

        var blocks = document.QuerySelectorAll(".statement section.block").Select(b => (b.GetAttribute("lang"), b.GetAttribute("dir"))).ToList();
        blocks.Should().Equal([("nl", "ltr"), ("ar", "rtl")]);
        document.QuerySelector("section[lang=nl]")!.TextContent.Should().Contain("€ 1.780,01").And.Contain("€ 321,99");
        document.QuerySelector("section[lang=ar]")!.TextContent.Should().Contain("١٬٧٨٠٫٠١ €").And.Contain("تموز");
        var staff = document.QuerySelector("#staff-notes")!.TextContent;
        staff.Should().Contain("Nederlands").And.Contain("العربية").And.Contain("niet nagekeken door een moedertaalspreker");
        document.QuerySelector(".statement")!.TextContent.Should().NotContain("nagekeken", "the review mark is for staff, never for the household");
        await using var connection = new Npgsql.NpgsqlConnection(site.Database.ConnectionString);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'statement.view' AND target = 'household HH-A'")).Should().BeGreaterThan(0);
    }

    [Test]
    public async Task The_statement_page_passes_axe_and_prints_without_the_site_and_the_staff_note()
    {
        var page = await BrowserPages.SignIn(await browser.NewPageAsync(), site.Address, "carla");
        await page.GotoAsync(site.Address + July);

        await BrowserPages.NoViolations(page);
        (await page.Locator(".statement").EvaluateAsync<string>("e => getComputedStyle(e).display")).Should().Be("grid",
            "the statement's own style reaches the page (from /overzicht.css: the site's policy allows no inline style)");
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        (await page.Locator("#staff-notes").IsVisibleAsync()).Should().BeFalse("the staff note never prints");
        (await page.Locator(".site-header").IsVisibleAsync()).Should().BeFalse();
        (await page.Locator("section[lang=ar]").IsVisibleAsync()).Should().BeTrue();
    }

    [Test]
    public async Task A_month_without_an_exported_batch_answers_404_with_the_reason()
    {
        using var carla = await site.SignedIn("carla");

        using var response = await carla.GetAsync("/huishoudens/HH-A/overzicht/2027-01");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("no batch was prepared for 2027-01");
    }

    [Test]
    public async Task A_household_language_the_statement_does_not_know_shows_Dutch_only_and_tells_staff()
    {
        using var carla = await site.SignedIn("carla");
        await site.Database.ExecuteAsOwner("UPDATE households SET language = 'pl' WHERE reference = 'HH-A'");
        try
        {
            var document = new HtmlParser().ParseDocument(await carla.GetStringAsync(July));

            document.QuerySelectorAll(".statement section.block").Select(b => b.GetAttribute("lang")).Should().Equal(["nl"]);
            document.QuerySelector("#unknown-language")!.TextContent.Should().Contain("'pl'").And.Contain("alleen in het Nederlands");
        }
        finally
        {
            await site.Database.ExecuteAsOwner("UPDATE households SET language = 'ar' WHERE reference = 'HH-A'");
        }
    }
}
