using Microsoft.Playwright;

namespace Ontzorging.Infrastructure.Statements;

/// <summary>
/// Prints statements to PDF with headless Chromium (Debian's, /usr/bin/chromium, or
/// <c>ONTZORGING_CHROMIUM</c>): one browser for a whole run, a few pages at a time, each PDF written
/// whole to a temporary name and then moved into place, so a file that exists is complete.
/// </summary>
public sealed class StatementPdf : IAsyncDisposable
{
    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private StatementPdf(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static string ChromiumPath => Environment.GetEnvironmentVariable("ONTZORGING_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<StatementPdf> Start()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new StatementRefusedException($"Chromium was not found at {ChromiumPath}: install it (scripts/packages.sh) or set ONTZORGING_CHROMIUM");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // No network: a statement is its own HTML and the system's fonts.
                Args = ["--disable-gpu", "--no-first-run", "--disable-background-networking"],
            });
            return new StatementPdf(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Prints the HTML documents in <paramref name="work"/>, <paramref name="parallel"/> pages at a time.</summary>
    public async Task Print(IEnumerable<(string Html, string Path)> work, int parallel, CancellationToken ct)
    {
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = ct }, async (item, token) =>
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { JavaScriptEnabled = false });
            try
            {
                await page.SetContentAsync(item.Html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load });
                var temporary = item.Path + ".part";
                await page.PdfAsync(new PagePdfOptions { Path = temporary, PreferCSSPageSize = true, PrintBackground = true, Tagged = true });
                File.Move(temporary, item.Path, overwrite: true);
            }
            finally
            {
                await page.CloseAsync();
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await browser.CloseAsync();
        playwright.Dispose();
    }
}
